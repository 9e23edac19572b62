/**
 * Entra ID's sign-in error codes, as `auth/classify.ts` and `auth/credential-material.ts`
 * produce them: whose fault each is and what it means. A probe that signs in with Entra ID
 * includes these in its `errorCodes`.
 *
 * Vendor doc: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import type { ErrorCodeTable } from "../engine/errors.js";

/** Entra ID's sign-in codes. */
export const ENTRA_ERROR_CODES = {
  ERR_AUTH_INVALID_SECRET: { fault: "user", means: "Entra ID refused the client secret (AADSTS7000215)." },
  ERR_AUTH_SECRET_EXPIRED: { fault: "user", means: "The client secret has expired (AADSTS7000222)." },
  ERR_AUTH_APP_NOT_FOUND: { fault: "user", means: "The client id is not an app in this tenant (AADSTS700016)." },
  ERR_AUTH_TENANT_NOT_FOUND: { fault: "user", means: "The tenant does not exist in this cloud (AADSTS90002)." },
  ERR_AUTH_TENANT_INVALID: { fault: "user", means: "The tenant id is neither a GUID nor a domain (AADSTS900023)." },
  ERR_AUTH_RESOURCE_NOT_IN_TENANT: { fault: "user", means: "The API the token is for is not provisioned in the tenant (AADSTS500011)." },
  ERR_AUTH_CERTIFICATE: { fault: "user", means: "Entra ID refused the certificate assertion (AADSTS700027 and kin)." },
  ERR_AUTH_CERTIFICATE_INVALID: { fault: "user", means: "The certificate or private key could not be read." },
  ERR_AUTH_FEDERATION: {
    fault: "user",
    means: "Entra ID refused the federated token: no federated credential on the app matches its issuer or subject (AADSTS700211, 70021).",
  },
  ERR_AUTH_CLOUD_MISMATCH: { fault: "user", means: "The tenant belongs to another national cloud (AADSTS90038)." },
  ERR_AUTH_REJECTED: { fault: "user", means: "Entra ID refused the sign-in for another reason; the AADSTS code is given." },
  ERR_AUTH_UNAVAILABLE: { fault: "provider", means: "Entra ID was unreachable, throttled or failing (network, 429, 5xx)." },
} as const satisfies ErrorCodeTable;
