/**
 * The error codes of the Defender365 probe: Entra ID's sign-in codes, and the framework's
 * API codes told in Defender's terms (the permission a 403 lacks, the 404 Defender gives for
 * an empty machine list). Each keeps the framework's fault; the meaning is Defender's.
 */
import type { ErrorCodeTable } from "../../engine/errors.js";
import { ENTRA_ERROR_CODES } from "../../azure/error-codes.js";

/** Every code the probe documents beyond the framework's, and the framework codes it words in Defender's terms. */
export const DEFENDER365_ERROR_CODES = {
  ...ENTRA_ERROR_CODES,
  ERR_AUTH_RESOURCE_NOT_IN_TENANT: { fault: "user", means: "Defender for Endpoint is not provisioned in the tenant (AADSTS500011)." },
  ERR_API_UNAUTHORIZED: { fault: "user", means: "The Defender API refused the token (401) even after a fresh one." },
  ERR_API_FORBIDDEN: { fault: "user", means: "The token lacks Machine.Read.All (403)." },
  ERR_API_NOT_FOUND: { fault: "user", means: "The API URL answered 404 for something other than the machine list." },
  ERR_API_LIST_CUT_SHORT: {
    fault: "provider",
    means:
      "A page after a full one said there was nothing more (404 'no machines', or an empty page where the overlap between pages says a device is): the list cannot be known whole.",
  },
} as const satisfies ErrorCodeTable;
