/**
 * The bench's meter, in plain JavaScript so that the floor (`floor.mjs`) runs without a
 * TypeScript loader; the probe side gets it through `common.ts`. Measures, from `start()`
 * to `stop()`, the process's CPU time, garbage-collection pauses and the longest
 * event-loop stall.
 */
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

/** @returns {{ start(): void, stop(): Promise<{ cpuUserMs: number, cpuSystemMs: number, gcMs: number, maxEventLoopDelayMs: number }> }} */
export const meter = () => {
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let cpu = process.cpuUsage();
  return {
    start() {
      gc.observe({ entryTypes: ["gc"] });
      loop.enable();
      cpu = process.cpuUsage();
    },
    async stop() {
      const used = process.cpuUsage(cpu);
      await new Promise((resolve) => setImmediate(resolve)); // let the GC observer deliver its last entries
      gc.disconnect();
      loop.disable();
      return { cpuUserMs: used.user / 1000, cpuSystemMs: used.system / 1000, gcMs, maxEventLoopDelayMs: loop.max / 1e6 };
    },
  };
};

/**
 * How this process runs, for its report: node's version, whether a TypeScript loader
 * (tsx) is in its flags or NODE_OPTIONS, and the script's file name.
 * @param {string} scriptUrl `import.meta.url` of the entry script
 * @returns {{ node: string, loader: "tsx" | "none", script: string }}
 */
export const runtimeOf = (scriptUrl) => {
  const flags = [...process.execArgv, process.env["NODE_OPTIONS"] ?? ""].join(" ");
  return { node: process.version, loader: /\btsx\b/.test(flags) ? "tsx" : "none", script: new URL(scriptUrl).pathname.split("/").pop() ?? "" };
};
