/**
 * The page worker's entry point: a worker thread that parses page bodies and works them
 * through ({@link preparePage}) on another core while the main thread correlates the page
 * before. Messages in: {@link PageJob}; out: {@link PageDone}, one per job, in order.
 */
import { parentPort } from "node:worker_threads";
import { preparePage, type PreparedPage } from "./prepare-page.js";

/** One page to work through. */
export interface PageJob {
  /** Matches the answer to the job. */
  readonly seq: number;
  readonly body: string;
  readonly pageNumber: number;
}

/** A job's answer. */
export interface PageDone {
  readonly seq: number;
  readonly page: PreparedPage;
}

parentPort?.on("message", (job: PageJob) => {
  const done: PageDone = { seq: job.seq, page: preparePage(job.body, job.pageNumber) };
  parentPort?.postMessage(done);
});
