/**
 * Opening Falcon's host list for one run: sign in (`sign-in.ts`), the API client with the
 * bearer token (renewed before it ends, and once after a 401; Falcon's RetryAfter honoured;
 * paced under the CID's limit), and the pages (`listing.ts`); what stopped the reading is
 * classified with Falcon's codes and hints (`api-errors.ts`).
 */
import type { ProbeInput, ProbeWarning } from "../../contract.js";
import { inputError, ProbeRunError } from "../../engine/errors.js";
import { bearerClient } from "../../sync/bearer-client.js";
import type { SourceSession, SyncRun } from "../../sync/source.js";
import { classifyFalconError } from "./api-errors.js";
import { FalconCalls } from "./calls.js";
import type { FalconApiClient } from "./credential.js";
import { resolveEndpoints } from "./endpoints.js";
import { listHosts, type ListingStats } from "./listing.js";
import type { CrowdStrikeOptions } from "./options.js";
import { totalMismatch } from "./paging.js";
import { FALCON_LIMITS } from "./rate-limits.js";
import { falconRetryAfterMs } from "./retry.js";
import { isEnding, signIn, type FalconToken } from "./sign-in.js";

const DAY_MS = 86_400_000;

/** A URL for the debug log: the filter's values left out (FQL names hosts, users, addresses). */
export const redactFalconUrl = (url: string): string => url.replace(/([?&]filter=)[^&]*/, "$1…");

/** The budget key of a credential: its child CID when it names one, else the API client (the CID is not known before hosts are read). */
export const budgetAccount = (credential: FalconApiClient): string => credential.memberCid ?? credential.clientId;

/** The listing's findings, once it ended. */
const listingWarnings = (stats: ListingStats): ProbeWarning[] => {
  const warnings: ProbeWarning[] = [];
  const mismatch = stats.ended ? totalMismatch(stats.total, stats.distinct) : null;
  if (mismatch !== null) warnings.push({ code: "FALCON_TOTAL_MISMATCH", message: mismatch });
  if (stats.vanished > 0)
    warnings.push({
      code: "FALCON_HOSTS_VANISHED",
      message: `${stats.vanished} host ids listed by the scroll had no host when asked for (hidden or deleted meanwhile).`,
    });
  if (stats.restarts > 0)
    warnings.push({
      code: "FALCON_LIST_RESTARTED",
      message: `The list was read again from its start ${stats.restarts} time(s) after a token expired; no host was lost or repeated.`,
    });
  return warnings;
};

/** Signs in and opens the host list (see the module comment). */
export const openCrowdStrike = async (input: ProbeInput<CrowdStrikeOptions, FalconApiClient>, run: SyncRun): Promise<SourceSession> => {
  const { credential, options, signal } = input;
  const endpoints = resolveEndpoints(credential, options);
  if (endpoints._tag === "Left") throw new ProbeRunError(inputError(endpoints.left, "options"));
  const secrets: string[] = [credential.clientSecret];
  const settings = {
    http: run.http,
    clock: run.clock,
    signal,
    cloud: endpoints.right.cloud,
    onSecret: (s: string) => void secrets.push(s),
    deadlineMs: options.pageDeadlineMs,
    debug: run.log(`scan-probes:${run.probe}:auth`),
  };
  const signed = await signIn(credential, { ...settings, apiBaseUrl: endpoints.right.apiBaseUrl });
  const origin = new URL(signed.apiBaseUrl).origin;
  run.taskLog({
    level: "info",
    code: "FALCON_SIGNED_IN",
    message: `Signed in to Falcon at ${origin}${signed.region ? ` (cloud ${signed.region})` : ""}${signed.redirectedFrom ? `, redirected from ${signed.redirectedFrom}` : ""}.`,
  });

  const { client, noteResponse } = bearerClient<FalconToken>({
    run,
    first: signed.token,
    renew: async () => {
      try {
        const again = await signIn(credential, { ...settings, apiBaseUrl: signed.apiBaseUrl });
        if (again.apiBaseUrl !== signed.apiBaseUrl)
          return {
            error: {
              _tag: "AuthError",
              code: "ERR_FALCON_WRONG_CLOUD",
              message: `Signing in again sent the API client to ${new URL(again.apiBaseUrl).origin}, not ${origin} where the run reads hosts.`,
              hint: "The API client moved cloud during the run: run again.",
            },
          };
        return { token: again.token };
      } catch (error) {
        if (error instanceof ProbeRunError) return { error: error.detail };
        throw error;
      }
    },
    budget: run.budgets.for("crowdstrike", budgetAccount(credential), FALCON_LIMITS),
    redactUrl: redactFalconUrl,
    retryAfterMs: falconRetryAfterMs(run.clock),
    renewBefore: (token) => isEnding(token, run.clock),
  });
  const calls = new FalconCalls({
    client,
    noteResponse,
    apiBaseUrl: signed.apiBaseUrl,
    clock: run.clock,
    signal,
    maxBytes: options.maxPageBytes,
    deadlineMs: options.pageDeadlineMs,
  });
  const stats: ListingStats = { path: "combined", restarts: 0, total: null, distinct: 0, vanished: 0, ended: false };
  const pages = listHosts(
    calls,
    {
      pageSize: options.pageSize,
      maxDevices: options.maxDevices,
      filter: options.filter,
      scrollOnly: endpoints.right.scrollOnly,
      staleBefore: () => run.clock.now() - options.inactiveAfterDays * DAY_MS,
      taskLog: run.taskLog,
      logPrefix: run.logPrefix,
    },
    stats,
  );
  return {
    pages,
    classify: (error) => classifyFalconError(error, { signal, origin, region: signed.region, secrets }),
    warnings: () => listingWarnings(stats),
  };
};
