/**
 * National-cloud presets: each sets the sign-in authority, the API host and the token scope
 * together. The three stay separate values because the scope is not derived from the API
 * host (the audience trap: a token for `api.security.microsoft.com` gets 403 on machines).
 *
 * Vendor docs: https://learn.microsoft.com/defender-endpoint/gov#api and
 * https://learn.microsoft.com/defender-endpoint/api/exposed-apis-create-app-webapp
 */

/** Cloud preset names accepted by the `cloud` option. */
export const CLOUDS = ["commercial", "gcc", "gcc-high", "dod"] as const;

/** A cloud preset name. */
export type Cloud = (typeof CLOUDS)[number];

/** Endpoints of one cloud. */
export interface CloudEndpoints {
  /** Entra ID authority host, without the tenant (`https://login.microsoftonline.com`). */
  readonly authorityHost: string;
  /** Defender API base URL; `/api/machines` is appended. */
  readonly apiBaseUrl: string;
  /** Client-credentials scope: the WindowsDefenderATP resource plus `/.default`. */
  readonly scope: string;
  /** Portal, for messages that send the user somewhere. */
  readonly portal: string;
}

/**
 * The presets. Commercial and GCC sign in at the commercial authority; GCC High and DoD at
 * `login.microsoftonline.us`. Government scopes are disputed in public sources (API-host
 * URI vs. the `windowsatpservice` URI); the API-host URI is used and the `scope` option
 * overrides it.
 */
export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, CloudEndpoints>> = {
  commercial: {
    authorityHost: "https://login.microsoftonline.com",
    apiBaseUrl: "https://api.security.microsoft.com",
    scope: "https://api.securitycenter.microsoft.com/.default",
    portal: "https://security.microsoft.com",
  },
  gcc: {
    authorityHost: "https://login.microsoftonline.com",
    apiBaseUrl: "https://api-gcc.securitycenter.microsoft.us",
    scope: "https://api-gcc.securitycenter.microsoft.us/.default",
    portal: "https://security.microsoft.com",
  },
  "gcc-high": {
    authorityHost: "https://login.microsoftonline.us",
    apiBaseUrl: "https://api-gov.securitycenter.microsoft.us",
    scope: "https://api-gov.securitycenter.microsoft.us/.default",
    portal: "https://security.microsoft.us",
  },
  dod: {
    authorityHost: "https://login.microsoftonline.us",
    apiBaseUrl: "https://api-gov.securitycenter.microsoft.us",
    scope: "https://api-gov.securitycenter.microsoft.us/.default",
    portal: "https://security.apps.mil",
  },
};
