/**
 * The one place msal errors become {@link AuthError}s. Branches on the AADSTS number msal
 * parsed from Entra's `error_codes` (and on msal's own error codes), never on message text.
 *
 * Vendor doc: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import type { AuthError, ErrorCode } from "../../engine/errors.js";
import { redact } from "../../util/redact.js";

interface Advice {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string;
}

/** What each known AADSTS number means for this probe, and what to do. */
export const AADSTS_ADVICE: Readonly<Record<number, Advice>> = {
  7000215: {
    code: "ERR_AUTH_INVALID_SECRET",
    message: "Entra ID refused the client secret (AADSTS7000215).",
    hint: "Use the secret's Value, not its Secret ID: in the app registration open Certificates & secrets, create a new client secret and copy the Value column.",
  },
  7000222: {
    code: "ERR_AUTH_SECRET_EXPIRED",
    message: "The client secret has expired (AADSTS7000222).",
    hint: "Create a new client secret under Certificates & secrets in the app registration, or switch to a certificate credential.",
  },
  700016: {
    code: "ERR_AUTH_APP_NOT_FOUND",
    message: "The client id is not an application in this tenant (AADSTS700016).",
    hint: "Check clientId (Application (client) ID on the app's Overview page) and tenantId. A multi-tenant app needs admin consent in this tenant first.",
  },
  7000112: {
    code: "ERR_AUTH_REJECTED",
    message: "The application is disabled (AADSTS7000112).",
    hint: "Enable the app's service principal in Enterprise applications (Properties › Enabled for users to sign in).",
  },
  90002: {
    code: "ERR_AUTH_TENANT_NOT_FOUND",
    message: "The tenant was not found (AADSTS90002).",
    hint: "Check tenantId (Directory (tenant) ID on the app's Overview page) and the cloud option: a GCC High or DoD tenant signs in at login.microsoftonline.us.",
  },
  900023: {
    code: "ERR_AUTH_TENANT_INVALID",
    message: "The tenant id is neither a GUID nor a domain (AADSTS900023).",
    hint: "Set tenantId to the Directory (tenant) ID GUID from the app's Overview page.",
  },
  90038: {
    code: "ERR_AUTH_CLOUD_MISMATCH",
    message: "The tenant belongs to another national cloud (AADSTS90038).",
    hint: "Set the cloud option (gcc-high or dod sign in at login.microsoftonline.us).",
  },
  500011: {
    code: "ERR_AUTH_RESOURCE_NOT_IN_TENANT",
    message: "Defender for Endpoint (WindowsDefenderATP) is not in this tenant (AADSTS500011).",
    hint: "The tenant has no Defender for Endpoint, or the scope is wrong. Open security.microsoft.com once to provision it, and check the scope/cloud options.",
  },
  700027: {
    code: "ERR_AUTH_CERTIFICATE",
    message: "Entra ID refused the certificate assertion (AADSTS700027).",
    hint: "Upload this certificate (the .cer/.pem, public part) under Certificates & secrets of the app registration, and check it has not expired.",
  },
  700024: {
    code: "ERR_AUTH_CERTIFICATE",
    message: "The client assertion is outside its valid time (AADSTS700024).",
    hint: "Check this machine's clock (NTP). With workload identity, the federated token file held an expired token: check that the platform refreshes it.",
  },
  700211: {
    code: "ERR_AUTH_FEDERATION",
    message: "No federated credential on the app trusts the issuer of the federated token (AADSTS700211).",
    hint: "Add a federated credential to the app registration (Certificates & secrets › Federated credentials) with this token's issuer, subject and audience api://AzureADTokenExchange.",
  },
  70021: {
    code: "ERR_AUTH_FEDERATION",
    message: "No federated credential on the app matches the federated token's subject (AADSTS70021).",
    hint: "Make the federated credential's subject the workload's (e.g. system:serviceaccount:<namespace>:<service account>), or run the workload under the one it names.",
  },
  700212: {
    code: "ERR_AUTH_FEDERATION",
    message: "The federated token's audience is not the one the federated credential expects (AADSTS700212).",
    hint: "Have the platform issue the token for audience api://AzureADTokenExchange.",
  },
  7000218: {
    code: "ERR_AUTH_REJECTED",
    message: "No client secret or certificate was sent (AADSTS7000218).",
    hint: "Give the credential a clientSecret or a certificate and privateKey.",
  },
  70011: {
    code: "ERR_AUTH_REJECTED",
    message: "Entra ID refused the scope (AADSTS70011).",
    hint: "The scope must be the WindowsDefenderATP resource followed by /.default, e.g. https://api.securitycenter.microsoft.com/.default.",
  },
  1002012: {
    code: "ERR_AUTH_REJECTED",
    message: "The scope lacks /.default (AADSTS1002012).",
    hint: "Client-credential scopes end in /.default, e.g. https://api.securitycenter.microsoft.com/.default.",
  },
  53003: {
    code: "ERR_AUTH_REJECTED",
    message: "Conditional Access blocked the sign-in (AADSTS53003).",
    hint: "Ask an Entra administrator to allow this workload identity (from this network) in Conditional Access.",
  },
};

/** The shape of an msal error that matters here (msal-common AuthError / ServerError). */
interface MsalErrorLike {
  readonly errorCode?: unknown;
  readonly errorNo?: unknown;
  readonly errorMessage?: unknown;
  readonly status?: unknown;
  readonly name?: unknown;
}

const aadstsOf = (e: MsalErrorLike): number | undefined => {
  const n = Number(e.errorNo);
  if (Number.isInteger(n) && n > 0) return n;
  const fromCode = Number(e.errorCode);
  if (Number.isInteger(fromCode) && fromCode > 0) return fromCode;
  const m = typeof e.errorMessage === "string" ? /AADSTS(\d+)/.exec(e.errorMessage) : null;
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
};

/** Entra's own one-line description, without trace lines, secrets redacted. */
const entraDescription = (e: MsalErrorLike, secrets: readonly string[]): string | undefined => {
  if (typeof e.errorMessage !== "string") return undefined;
  const m = /Description: (AADSTS\d+: [^\r\n]*?)(?: - Correlation ID| - Trace ID|\r|\n|$)/.exec(e.errorMessage);
  return m?.[1] !== undefined ? redact(m[1], secrets).slice(0, 400) : undefined;
};

const UNAVAILABLE_MSAL_CODES = new Set(["network_error", "endpoints_resolution_error", "token_parsing_error", "openid_config_error"]);

/**
 * Classifies anything msal threw. `secrets` are removed from any text taken from the
 * error. `authority` names where sign-in went, for the message.
 */
export const classifyMsalError = (error: unknown, authority: string, secrets: readonly string[]): AuthError => {
  const e = (typeof error === "object" && error !== null ? error : {}) as MsalErrorLike;
  const aadsts = aadstsOf(e);
  const status = typeof e.status === "number" ? e.status : undefined;
  const errorCode = typeof e.errorCode === "string" ? e.errorCode : "";
  const known = aadsts !== undefined ? AADSTS_ADVICE[aadsts] : undefined;
  const description = entraDescription(e, secrets);

  if (known) {
    return { _tag: "AuthError", code: known.code, aadsts, message: known.message, hint: known.hint };
  }
  const throttledOrDown =
    status === 429 || (status !== undefined && status >= 500) || (status === undefined && aadsts !== undefined && errorCode === String(aadsts));
  if (throttledOrDown || UNAVAILABLE_MSAL_CODES.has(errorCode)) {
    const detail = typeof e.errorMessage === "string" ? redact(e.errorMessage, secrets).split(/\r?\n/)[0]?.slice(0, 300) : undefined;
    return {
      _tag: "AuthError",
      code: "ERR_AUTH_UNAVAILABLE",
      aadsts,
      message: `Sign-in at ${authority} failed: the authority was unreachable, throttled or failing${status ? ` (HTTP ${status})` : ""}${detail ? `: ${detail}` : ""}.`,
      hint: "Check network access (proxy, firewall, CA) to the authority host and try again in a minute; Entra asks clients to wait after a 429 or 5xx.",
    };
  }
  if (errorCode === "authority_uri_insecure") {
    return { _tag: "AuthError", code: "ERR_AUTH_REJECTED", message: "The authority host must use https.", hint: "Set authorityHost to an https:// URL." };
  }
  return {
    _tag: "AuthError",
    code: "ERR_AUTH_REJECTED",
    aadsts,
    message: `Entra ID refused the sign-in${aadsts !== undefined ? ` (AADSTS${aadsts})` : errorCode ? ` (${errorCode})` : ""}${description ? `: ${description}` : "."}`,
    hint: aadsts !== undefined ? `Look the code up at https://login.microsoftonline.com/error?code=${aadsts}.` : "Check the credential and the authority host.",
  };
};
