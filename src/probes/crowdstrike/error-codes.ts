/**
 * The error codes of the CrowdStrike probe: its own (sign-in refusals, scope, IP allow-list,
 * wrong cloud, redirects, bad requests) and the framework's API codes told in Falcon's terms.
 */
import type { ErrorCodeTable } from "../../engine/errors.js";

/** Every code the probe documents beyond the framework's, and the framework codes it words in Falcon's terms. */
export const CROWDSTRIKE_ERROR_CODES = {
  ERR_FALCON_BAD_SECRET: { fault: "user", means: "The token endpoint refused the API client's secret (403 'Not Authorized' or 401)." },
  ERR_FALCON_UNKNOWN_CLIENT: { fault: "user", means: "The token endpoint does not know the Client ID (400), in this cloud at least." },
  ERR_FALCON_IP_NOT_ALLOWED: {
    fault: "user",
    means: "Falcon refused this machine's IP address: the API client has an IP allow-list (403 'authorization failed').",
  },
  ERR_FALCON_SCOPE_MISSING: { fault: "user", means: "The API client lacks the Hosts: Read scope (403 'scope not permitted')." },
  ERR_FALCON_WRONG_CLOUD: {
    fault: "user",
    means:
      "The API client belongs to another Falcon cloud than the one named: the token endpoint redirected, or a data call refused the token (401) even after a fresh one.",
  },
  ERR_FALCON_REDIRECT: {
    fault: "user",
    means:
      "Falcon (or something in the way) answered a redirect that was not followed: a data call's (never followed), or a sign-in's to a host that is not a Falcon API host.",
  },
  ERR_FALCON_BAD_REQUEST: { fault: "user", means: "Falcon refused the request's parameters (400), usually the FQL filter option." },
  ERR_API_FORBIDDEN: { fault: "user", means: "Falcon refused the host list (403) for a reason it did not name as scope or IP allow-list." },
  ERR_API_THROTTLED: {
    fault: "provider",
    means: "Falcon kept answering 429 (6,000 requests a minute per CID, shared by every API client of the CID), or asked to wait longer than the cap.",
  },
  ERR_API_SERVER: { fault: "provider", means: "Falcon answered 5xx after every retry; quote the trace id to CrowdStrike support." },
  ERR_API_PAGING: {
    fault: "provider",
    means:
      "The host list could not be read to its documented end: a next or scroll token kept expiring or looping, or a page said there was more but gave nothing.",
  },
  ERR_API_LIST_CUT_SHORT: {
    fault: "provider",
    means:
      "The host list reached its documented end with fewer hosts read than Falcon's total announced: hosts added where the read had passed, or pages the service left out.",
  },
} as const satisfies ErrorCodeTable;
