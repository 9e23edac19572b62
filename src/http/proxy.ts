/**
 * Proxy support for the one HTTP stack, so that sign-in (msal-node 7 has no proxy option of
 * its own) and the API both go through it. `HTTPS_PROXY` / `NO_PROXY` are read by
 * `proxy-from-env` (the same rules curl and npm follow) unless the engine passes its own
 * resolver.
 */
import { HttpsProxyAgent } from "hpagent";
import { getProxyForUrl } from "proxy-from-env";
import type { BeforeRequestHook } from "got";

/** For a request URL, the proxy URL to use (`http://proxy:3128`), or undefined to go direct. */
export type ProxyResolver = (url: string) => string | undefined;

/** The resolver from the environment: `HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`, minus `NO_PROXY`. */
export const proxyFromEnvironment: ProxyResolver = (url) => getProxyForUrl(url) || undefined;

/** A proxy URL as logs may show it: without user and password. */
export const describeProxy = (proxy: string): string => {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "(unparseable proxy URL)";
  }
};

/**
 * A got hook that routes each request through the proxy the resolver names, one
 * keep-alive agent per proxy. TLS to the target is still end to end and verified.
 */
export const proxyHook = (resolve: ProxyResolver): BeforeRequestHook => {
  const agents = new Map<string, HttpsProxyAgent>();
  return (options) => {
    const url = options.url instanceof URL ? options.url.toString() : String(options.url ?? "");
    const proxy = resolve(url);
    if (proxy === undefined) return;
    let agent = agents.get(proxy);
    if (agent === undefined) {
      agent = new HttpsProxyAgent({ proxy, keepAlive: true, maxSockets: 16 });
      agents.set(proxy, agent);
    }
    options.agent = { ...options.agent, https: agent };
  };
};
