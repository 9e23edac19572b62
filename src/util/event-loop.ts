/**
 * Letting the event loop turn inside long synchronous work, so that requests in flight keep
 * downloading, timers fire and an abort is seen.
 */

/** Resolves after the event loop has turned once (its I/O phase included); rejects instead, with the signal's reason, once `signal` has aborted. */
export const nextTurn = (signal?: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => setImmediate(() => (signal?.aborted === true ? reject(signal.reason as Error) : resolve())));

/** {@link nextTurn} bound to `signal`: a pause for code that takes one as a callback. */
export const turnsUntil = (signal?: AbortSignal) => (): Promise<void> => nextTurn(signal);

/**
 * Awaits `pending`, and while it is pending does `slice()` once per turn of the event loop
 * until `slice` returns false (nothing left to do): work that would otherwise wait for later
 * is done while this process has nothing else to do. A slice should take a few milliseconds.
 */
export const whileWaiting = async <T>(pending: Promise<T>, slice: () => boolean): Promise<T> => {
  let settled = false;
  const done = () => {
    settled = true;
  };
  pending.then(done, done);
  while (!settled && slice()) await nextTurn();
  return pending;
};
