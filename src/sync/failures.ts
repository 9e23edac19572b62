/**
 * The failures the pipeline itself finds, whatever the source: a cancel, an item that is not
 * JSON, a fault of the probe's own code.
 */
import type { ApiError, CancelledError } from "../engine/errors.js";

/** The cancellation error. */
export const cancelled = (): CancelledError => ({
  _tag: "CancelledError",
  code: "ERR_CANCELLED",
  message: "The run was cancelled.",
  hint: "What was fetched before the cancellation is kept; the run is marked incomplete.",
});

/** Item `index` of page `pageNumber` is not JSON. `ERR_API_BAD_RESPONSE`. */
export const itemNotJson = (pageNumber: number, index: number): ApiError => ({
  _tag: "ApiError",
  code: "ERR_API_BAD_RESPONSE",
  message: `Page ${pageNumber} of the device list was not valid: its item ${index} is not JSON.`,
  hint: "A proxy may have cut or rewritten the response, or the service failed mid-answer. Run again; the run is marked incomplete.",
});
