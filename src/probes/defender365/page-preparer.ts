/**
 * Works page bodies through ({@link preparePage}): large ones on a worker thread, so that
 * parsing, decoding and serialising page k+1 runs on another core while the main thread
 * correlates page k; small ones (and every page when the worker cannot run) inline. The
 * result is the same either way.
 */
import { Worker } from "node:worker_threads";
import { preparePage, type PreparedPage } from "./prepare-page.js";
import type { PageDone, PageJob } from "./page-worker.js";

/** Works pages through. */
export interface PagePreparer {
  /** Pages worked through on the worker thread so far. */
  readonly workerPages: number;
  /** Page `pageNumber`'s body, worked through. Never rejects: a broken worker falls back to inline work. */
  prepare(body: string, pageNumber: number): Promise<PreparedPage>;
  /** Stops the worker, if one was started; pages still with it are answered as not worked through. */
  close(): Promise<void>;
}

/** Bodies at least this long go to the worker (1 MiB: about 700 devices); below it the hand-over costs more than it saves. */
export const WORKER_MIN_CHARS = 1 << 20;

/** Every page on the calling thread. */
export const inlinePreparer = (): PagePreparer => ({
  workerPages: 0,
  prepare: (body, pageNumber) => Promise.resolve(preparePage(body, pageNumber)),
  close: () => Promise.resolve(),
});

/**
 * Starts the page worker. From TypeScript source (tests and the bench run through tsx) the worker
 * registers tsx first; from the built package it loads `page-worker.js` directly.
 */
export const startPageWorker = (): Worker => {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./page-worker.js", here));
  const entry = new URL("./page-worker.ts", here).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
};

interface Waiting {
  readonly job: PageJob;
  readonly resolve: (page: PreparedPage) => void;
}

/**
 * Large pages on a worker thread, started with the first large page (which is worked through
 * inline meanwhile). If the worker cannot start or fails, the pages it held and every later
 * one are worked through inline; `onFallback` hears why, once. `start` makes the worker (tests
 * give one that fails).
 */
export const workerPreparer = (onFallback: (reason: string) => void = () => undefined, start: () => Worker = startPageWorker): PagePreparer => {
  let worker: Worker | null = null;
  let broken = false;
  let seq = 0;
  let workerPages = 0;
  const waiting = new Map<number, Waiting>();

  const fallBack = (reason: string) => {
    if (broken) return;
    broken = true;
    onFallback(reason);
    const stranded = [...waiting.values()];
    waiting.clear();
    for (const w of stranded) w.resolve(preparePage(w.job.body, w.job.pageNumber));
    void worker?.terminate();
    worker = null;
  };

  const launch = (): void => {
    try {
      const w = start();
      w.unref(); // held only while a job waits (see below): an idle worker never keeps the process alive
      w.on("message", (done: PageDone) => {
        const entry = waiting.get(done.seq);
        if (entry === undefined) return;
        waiting.delete(done.seq);
        workerPages += 1;
        if (waiting.size === 0) w.unref();
        entry.resolve(done.page);
      });
      w.on("error", (error) => fallBack(`the page worker failed (${error.message})`));
      w.on("exit", (code) => {
        if (worker === w) fallBack(`the page worker stopped (exit code ${code})`);
      });
      worker = w;
    } catch (error) {
      fallBack(`the page worker could not start (${(error as Error).message})`);
    }
  };

  return {
    get workerPages() {
      return workerPages;
    },
    prepare(body, pageNumber) {
      if (broken || body.length < WORKER_MIN_CHARS) return Promise.resolve(preparePage(body, pageNumber));
      if (worker === null) {
        launch();
        return Promise.resolve(preparePage(body, pageNumber)); // this one inline while the worker starts
      }
      const w = worker;
      const job: PageJob = { seq: ++seq, body, pageNumber };
      return new Promise<PreparedPage>((resolve) => {
        waiting.set(job.seq, { job, resolve });
        w.ref();
        w.postMessage(job);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      broken = true;
      for (const entry of waiting.values()) entry.resolve({ ok: false, problem: "the run ended before this page was worked through" });
      waiting.clear();
      if (w !== null) await w.terminate();
    },
  };
};
