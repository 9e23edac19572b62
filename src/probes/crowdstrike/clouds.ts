/**
 * The Falcon clouds and their API hosts, and the rule for where a token request may be
 * redirected: the secret goes with it, so only to a known Falcon API host over https, or to
 * the host name the run was configured with (a proxy or a simulator whose clouds differ by
 * port).
 *
 * Vendor docs: the SDKs' cloud tables (gofalcon `falcon/cloud.go`, falconpy `_enum/_base_url.py`).
 */

/** The clouds a run can name. `us-gov-*` are never discovered: they must be named. */
export const FALCON_CLOUDS = ["us-1", "us-2", "eu-1", "us-gov-1", "us-gov-2"] as const;

/** A Falcon cloud. */
export type FalconCloud = (typeof FALCON_CLOUDS)[number];

/** The API host of each cloud (us-3 is known only from the newest SDKs: followed when a token request is sent there, never named). */
export const CLOUD_HOSTS: Readonly<Record<FalconCloud | "us-3", string>> = {
  "us-1": "api.crowdstrike.com",
  "us-2": "api.us-2.crowdstrike.com",
  "eu-1": "api.eu-1.crowdstrike.com",
  "us-gov-1": "api.laggar.gcw.crowdstrike.com",
  "us-gov-2": "api.us-gov-2.crowdstrike.mil",
  "us-3": "api.us-3.crowdstrike.com",
};

/** True for the GovCloud clouds: no region discovery, no combined hosts endpoint. */
export const isGovCloud = (cloud: string): boolean => cloud === "us-gov-1" || cloud === "us-gov-2";

/** The cloud whose API host is `host`, or undefined for any other host. */
export const cloudOfHost = (host: string): keyof typeof CLOUD_HOSTS | undefined => {
  const lower = host.toLowerCase();
  return (Object.keys(CLOUD_HOSTS) as (keyof typeof CLOUD_HOSTS)[]).find((cloud) => CLOUD_HOSTS[cloud] === lower);
};

/** The API base URL of a cloud (`https://api.crowdstrike.com`). */
export const cloudBaseUrl = (cloud: keyof typeof CLOUD_HOSTS): string => `https://${CLOUD_HOSTS[cloud]}`;

/** The cloud an `X-Cs-Region` header names (`us-2`, `US2`, `gov1` spelled any way), or undefined. */
export const cloudOfRegion = (region: string | undefined): keyof typeof CLOUD_HOSTS | undefined => {
  if (region === undefined) return undefined;
  const key = region.trim().toLowerCase().replace(/_/g, "-");
  const aliases: Readonly<Record<string, keyof typeof CLOUD_HOSTS>> = {
    us1: "us-1",
    us2: "us-2",
    eu1: "eu-1",
    gov1: "us-gov-1",
    usgov1: "us-gov-1",
    gov2: "us-gov-2",
    usgov2: "us-gov-2",
    us3: "us-3",
  };
  if (Object.hasOwn(CLOUD_HOSTS, key)) return key as keyof typeof CLOUD_HOSTS;
  return aliases[key.replace(/-/g, "")];
};

/** The token path a redirect must keep. */
export const TOKEN_PATH = "/oauth2/token";

/** Where a token request redirect leads: the new API base URL, or why it is refused. */
export type RedirectDecision = { readonly follow: true; readonly apiBaseUrl: string } | { readonly follow: false; readonly why: string };

/**
 * Whether a token request's redirect to `location` (resolved against `from`, the URL the
 * request went to) may be followed. Only for `cloud: auto`; only over https; only to a known
 * commercial Falcon API host (GovCloud is never discovered) or to the host name of
 * `configuredBase` (any port); only to the token path. The new API base is the target's
 * origin and the path before `/oauth2/token`. Pure.
 */
export const redirectDecision = (location: string | undefined, from: string, configuredBase: string, cloud: FalconCloud | "auto"): RedirectDecision => {
  if (cloud !== "auto") return { follow: false, why: `the cloud option names ${cloud}, so no redirect is followed` };
  if (location === undefined || location === "") return { follow: false, why: "the redirect named no Location" };
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return { follow: false, why: "its Location is not a URL" };
  }
  if (target.protocol !== "https:") return { follow: false, why: `it leads to ${target.protocol}// (only https is followed)` };
  if (target.username !== "" || target.password !== "") return { follow: false, why: "it leads to a URL with user:password" };
  const known = cloudOfHost(target.hostname);
  const sameHost = target.hostname.toLowerCase() === new URL(configuredBase).hostname.toLowerCase();
  if (known !== undefined && isGovCloud(known) && !sameHost)
    return { follow: false, why: `it leads to GovCloud (${target.host}), which is never discovered: name the cloud (${known}) in the options` };
  if (known === undefined && !sameHost) return { follow: false, why: `it leads to ${target.origin}, which is not a Falcon API host` };
  if (!target.pathname.endsWith(TOKEN_PATH)) return { follow: false, why: `it leads to ${target.origin} but not to its token endpoint` };
  return { follow: true, apiBaseUrl: target.origin + target.pathname.slice(0, -TOKEN_PATH.length).replace(/\/+$/, "") };
};
