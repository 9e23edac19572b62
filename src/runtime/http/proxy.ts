/**
 * Proxy support for the one HTTP stack, so that sign-in (msal-node 7 has no proxy option of
 * its own) and the API both go through it. `HTTPS_PROXY` / `NO_PROXY` are read by
 * `proxy-from-env` (the same rules curl and npm follow) unless the engine passes its own
 * resolver. The agents that go through a proxy are set in `agents.ts`.
 */
import { getProxyForUrl } from "proxy-from-env";

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
