/**
 * Which agent each request goes through, and the TLS trust their connections share.
 *
 * With extra CAs, Node builds a TLS context from the whole trust list (the system's roots and
 * the extras) for every new connection, which is costly. Here one
 * context is built on first use and every connection, direct or through a proxy, reuses it.
 */
import { Agent as HttpsAgent } from "node:https";
import { createSecureContext, type SecureContext } from "node:tls";
import type { BeforeRequestHook } from "got";
import { HttpsProxyAgent } from "hpagent";
import type { ProxyResolver } from "./proxy.js";

/** One TLS context that trusts exactly the CAs `caPems` (the system's roots included, if wanted), built on the first call and returned by every later one. */
export const sharedTrust = (caPems: readonly string[]): (() => SecureContext) => {
  let context: SecureContext | undefined;
  return () => (context ??= createSecureContext({ ca: [...caPems] }));
};

/**
 * A got hook that sets each request's HTTPS agent: the one for the proxy the resolver names
 * (one keep-alive agent per proxy; TLS to the target is still end to end and verified), else a
 * direct keep-alive agent. With `trust`, every connection of either uses that one TLS context.
 * Undefined when there is nothing to set (no proxy resolver, no extra trust): Node's global
 * agent then serves every request.
 */
export const agentHook = (resolve: ProxyResolver | undefined, trust: (() => SecureContext) | undefined): BeforeRequestHook | undefined => {
  if (resolve === undefined && trust === undefined) return undefined;
  const tls = (): { secureContext?: SecureContext } => (trust === undefined ? {} : { secureContext: trust() });
  const proxied = new Map<string, HttpsProxyAgent>();
  let direct: HttpsAgent | undefined;
  return (options) => {
    const url = options.url instanceof URL ? options.url.toString() : String(options.url ?? "");
    const proxy = resolve?.(url);
    if (proxy === undefined) {
      if (trust === undefined) return; // Node's global agent, as without the hook
      // As Node's global agent is set up, with the shared context.
      direct ??= new HttpsAgent({ keepAlive: true, scheduling: "lifo", timeout: 5_000, ...tls() });
      options.agent = { ...options.agent, https: direct };
      return;
    }
    let agent = proxied.get(proxy);
    if (agent === undefined) {
      agent = new HttpsProxyAgent({ proxy, keepAlive: true, maxSockets: 16, ...tls() });
      proxied.set(proxy, agent);
    }
    options.agent = { ...options.agent, https: agent };
  };
};
