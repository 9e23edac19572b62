/**
 * Opening Defender's machine list for one run: sign in through Entra ID, the API client with
 * the bearer token, and the pages (`pages.ts`) with Defender's checks; what stopped the
 * reading is classified with Defender's codes and hints (`api-errors.ts`).
 */
import type { ProbeInput, ProbeWarning, RunCounts } from "../../contract.js";
import { inputError, ProbeRunError } from "../../engine/errors.js";
import { clientIdOf, type Credential } from "../../azure/credentials.js";
import type { AccessToken } from "../../runtime/auth/token-provider.js";
import { bearerClient } from "../../sync/bearer-client.js";
import type { SourcePage, SourceSession, SyncRun } from "../../sync/source.js";
import { classifyApiError, pagingError } from "./api-errors.js";
import { resolveRunOptions, type Defender365RunOptions } from "./endpoints.js";
import type { Defender365Options } from "./options.js";
import { DEFENDER_LIMITS } from "./rate-limits.js";
import { readPages, type DriftStats, type RawPage } from "./pages.js";

/**
 * The `$filter` that saves calls: inactive devices are left out by the API when they are not
 * wanted (the client-side check stays), and an incremental sync asks only for devices seen
 * since its cursor.
 */
export const serverFilter = (options: Defender365RunOptions): string | undefined => {
  const parts: string[] = [];
  if (!options.includeInactive) parts.push("healthStatus ne 'Inactive'");
  if (options.lastSeenAfter !== undefined) parts.push(`lastSeen gt ${options.lastSeenAfter}`);
  return parts.length > 0 ? parts.join(" and ") : undefined;
};

/** A URL for the debug log: the `$filter`'s values left out. */
const redactQuery = (url: string): string => url.replace(/\$filter=[^&]*/, "$filter=…");

/**
 * The pages, each checked for a server that ignores `$skip`: a full page (not one read again
 * to recover from drift) holding only devices already read. Paging's own count of ids first
 * seen, not the devices kept: a page of devices that all fail decoding is still new.
 */
async function* checkedPages(pages: AsyncGenerator<RawPage>, pageSize: number): AsyncGenerator<SourcePage> {
  for await (const page of pages) {
    if (!page.recovery && page.items.length >= pageSize - 1 && !page.firstSightings.includes(1)) {
      throw new ProbeRunError(
        pagingError(`Page ${page.number} held only devices already read: the API is not honouring $skip.`, "Run again; report it if it persists."),
      );
    }
    yield page;
  }
}

/** The warning of a list that changed while it was read, if it did. */
const driftWarnings = (drift: DriftStats, counts: Readonly<RunCounts>): ProbeWarning[] =>
  drift.shifts === 0
    ? []
    : [
        {
          code: "DEFENDER_LIST_CHANGED",
          message: `The device list changed while it was read (shifted at ${drift.shifts} page boundaries; ${drift.recoveryPages} pages read again; ${counts.duplicates} repeats dropped). No device was skipped.`,
        },
      ];

/** Signs in and opens the machine list (see the module comment). */
export const openDefender365 = async (input: ProbeInput<Defender365Options, Credential>, run: SyncRun): Promise<SourceSession> => {
  const { credential, signal } = input;
  const settled = resolveRunOptions(credential, input.options);
  if (settled._tag === "Left") throw new ProbeRunError(inputError(settled.left, "options"));
  const options = settled.right;

  const tokens = run.tokens({ credential, authorityHost: options.authorityHost, scope: options.scope });
  const signedIn = await tokens.getToken()();
  if (signedIn._tag === "Left") throw new ProbeRunError(signedIn.left);
  run.taskLog({
    level: "info",
    code: "DEFENDER_SIGNED_IN",
    message: `Signed in to tenant ${credential.tenantId}; the token carries roles: ${signedIn.right.claims.roles.join(", ") || "none"}.`,
  });

  const { client, current, noteResponse } = bearerClient<AccessToken>({
    run,
    first: signedIn.right,
    renew: async () => {
      const fresh = await tokens.getToken({ forceRefresh: true })();
      return fresh._tag === "Left" ? { error: fresh.left } : { token: fresh.right };
    },
    budget: run.budgets.for(credential.tenantId, clientIdOf(credential), DEFENDER_LIMITS),
    redactUrl: redactQuery,
  });
  const drift: DriftStats = { shifts: 0, recoveryPages: 0 };
  const query = {
    apiBaseUrl: options.apiBaseUrl,
    pageSize: options.pageSize,
    filter: serverFilter(options),
    expectedDevices: options.expectedDevices,
    maxPageBytes: options.maxPageBytes,
    pageDeadlineMs: options.pageDeadlineMs,
    maxDevices: options.maxDevices,
    signal,
    onResponse: (response: Parameters<typeof noteResponse>[1]) => noteResponse("GET", response),
  };
  return {
    pages: checkedPages(readPages(client, query, drift), options.pageSize),
    classify: (error) =>
      classifyApiError(error, {
        signal,
        claims: current().claims,
        apiBaseUrl: options.apiBaseUrl,
        secrets: tokens.secrets(),
        retryLimit: run.http.defaults.options.retry.limit ?? 0,
      }),
    warnings: (counts) => driftWarnings(drift, counts),
  };
};
