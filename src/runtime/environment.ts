/**
 * Builds the one {@link ProbeEnv} an engine (or the CLI) passes to every run: the HTTP
 * stack, msal-backed sign-in, rate budgets, the clock and the loggers.
 */
import createDebug from "debug";
import type { Clock, Logger, ProbeEnv, TaskLogSink } from "../contract.js";
import { systemClock } from "./clock.js";
import { createHttpClient, type HttpSettings } from "./http/client.js";
import { createRateBudgets, type Window } from "./http/rate-budget.js";
import { msalTokenProviderFactory } from "./auth/token-provider.js";
import { proxyFromEnvironment } from "./http/proxy.js";

/** What an engine may set; everything has a default. */
export interface EnvironmentSettings extends HttpSettings {
  /** Where task-log events go. Default: dropped. */
  readonly taskLog?: TaskLogSink | undefined;
  /** Developer logs. Default: the `debug` package (`DEBUG=scan-probes:*`). */
  readonly log?: Logger | undefined;
  /** Time. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Limits that pace every request budget, instead of each source's documented limits (Defender's: 100 calls a minute, 1,500 an hour). */
  readonly rateLimits?: readonly Window[] | undefined;
}

/** `debug` as a {@link Logger}. */
export const debugLogger: Logger = (namespace) => createDebug(namespace);

/** Builds a {@link ProbeEnv}. Call once per process and share it between runs. */
export const createEnvironment = (settings: EnvironmentSettings = {}): ProbeEnv => {
  const http = createHttpClient({ ...settings, proxy: settings.proxy ?? proxyFromEnvironment }); // `() => undefined`: never a proxy
  const log = settings.log ?? debugLogger;
  const clock = settings.clock ?? systemClock;
  return {
    http,
    tokens: msalTokenProviderFactory(http, log),
    budgets: createRateBudgets(clock, settings.rateLimits),
    clock,
    log,
    taskLog: settings.taskLog ?? (() => undefined),
  };
};
