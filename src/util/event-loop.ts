/**
 * Letting the event loop turn inside long synchronous work, so that requests in flight keep
 * downloading, timers fire and an abort is seen.
 */

/** Resolves after the event loop has turned once (its I/O phase included); rejects instead, with the signal's reason, once `signal` has aborted. */
export const nextTurn = (signal?: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => setImmediate(() => (signal?.aborted === true ? reject(signal.reason as Error) : resolve())));

/** {@link nextTurn} bound to `signal`: a pause for code that takes one as a callback. */
export const turnsUntil = (signal?: AbortSignal) => (): Promise<void> => nextTurn(signal);
