/**
 * A data request as the hosts handlers see it: parsed by the server, with the faults that
 * apply to it.
 */
import type { FalconFault } from "./faults.js";

/** A parsed data request. */
export interface DataRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly faults: readonly FalconFault[];
}

/** Whether a fault of `kind` applies. */
export const hasFault = (request: DataRequest, kind: FalconFault["kind"]): boolean => request.faults.some((f) => f.kind === kind);
