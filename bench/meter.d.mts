/** Types of `meter.mjs` (plain JavaScript, so that the floor needs no TypeScript loader). */

/** What `stop()` measured since `start()`. */
export interface Metered {
  /** CPU time of the process (every thread), ms. */
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  /** Garbage-collection pauses, ms. */
  readonly gcMs: number;
  /** Longest event-loop stall, ms. */
  readonly maxEventLoopDelayMs: number;
}

/** How a measured child runs. */
export interface Runtime {
  /** `process.version`. */
  readonly node: string;
  /** "tsx" when the tsx loader is in the process's flags or NODE_OPTIONS. */
  readonly loader: "tsx" | "none";
  /** File name of the entry script (`run-probe.js`, `floor.mjs`, `run-probe.ts`). */
  readonly script: string;
}

/** Measures CPU, GC pauses and event-loop stalls from `start()` to `stop()`. */
export declare const meter: () => { start(): void; stop(): Promise<Metered> };

/** This process's runtime, from `import.meta.url` of its entry script. */
export declare const runtimeOf: (scriptUrl: string) => Runtime;
