/**
 * Defender's side of the national-cloud presets (the names and authority hosts are the Azure
 * room's, `azure/clouds.ts`): each sets the sign-in authority, the API host and the token scope
 * together. The three stay separate values because the scope is not derived from the API
 * host (the audience trap: a token for `api.security.microsoft.com` gets 403 on machines).
 *
 * Vendor docs: https://learn.microsoft.com/defender-endpoint/gov#api (regional hosts: the
 * defender-docs include `improve-request-performance.md`) and
 * https://learn.microsoft.com/defender-endpoint/api/exposed-apis-create-app-webapp
 */

import { AUTHORITY_HOSTS, type Cloud } from "../../azure/clouds.js";

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
  /**
   * Every API host of the cloud (the default first, then the legacy and regional ones):
   * the hosts options may name without the credential naming them (they receive the token).
   */
  readonly apiHosts: readonly string[];
}

/** Commercial API hosts: current, legacy, oldest, and the regional ones of the MDE and Defender XDR docs. */
const COMMERCIAL_API_HOSTS = [
  "api.security.microsoft.com",
  "api.securitycenter.microsoft.com",
  "api.securitycenter.windows.com",
  ...["us", "eu", "uk", "au", "swa", "ina", "aea"].map((geo) => `${geo}.api.security.microsoft.com`),
  ...["us", "eu", "uk", "au"].map((geo) => `api-${geo}.securitycenter.microsoft.com`),
  ...["us", "eu", "uk"].map((geo) => `api-${geo}.security.microsoft.com`),
];
const GOV_API_HOSTS = ["api-gov.securitycenter.microsoft.us", "api-gov.security.microsoft.us"];

/**
 * The presets, each with its cloud's authority host. Government scopes are disputed in public sources (API-host
 * URI vs. the `windowsatpservice` URI); the API-host URI is used and the `scope` option
 * overrides it.
 */
export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, CloudEndpoints>> = {
  commercial: {
    authorityHost: AUTHORITY_HOSTS.commercial,
    apiBaseUrl: "https://api.security.microsoft.com",
    scope: "https://api.securitycenter.microsoft.com/.default",
    portal: "https://security.microsoft.com",
    apiHosts: COMMERCIAL_API_HOSTS,
  },
  gcc: {
    authorityHost: AUTHORITY_HOSTS.gcc,
    apiBaseUrl: "https://api-gcc.securitycenter.microsoft.us",
    scope: "https://api-gcc.securitycenter.microsoft.us/.default",
    portal: "https://security.microsoft.com",
    apiHosts: ["api-gcc.securitycenter.microsoft.us", "api-gcc.security.microsoft.us"],
  },
  "gcc-high": {
    authorityHost: AUTHORITY_HOSTS["gcc-high"],
    apiBaseUrl: "https://api-gov.securitycenter.microsoft.us",
    scope: "https://api-gov.securitycenter.microsoft.us/.default",
    portal: "https://security.microsoft.us",
    apiHosts: GOV_API_HOSTS,
  },
  dod: {
    authorityHost: AUTHORITY_HOSTS.dod,
    apiBaseUrl: "https://api-gov.securitycenter.microsoft.us",
    scope: "https://api-gov.securitycenter.microsoft.us/.default",
    portal: "https://security.apps.mil",
    apiHosts: GOV_API_HOSTS,
  },
};
