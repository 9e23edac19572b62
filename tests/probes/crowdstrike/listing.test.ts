/** The listing loop over scripted answers: the documented end, repeats flagged by device_id, and lists that never end. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProbeRunError } from "../../../src/engine/errors.js";
import { listHosts, type HostCalls, type ListingStats } from "../../../src/probes/crowdstrike/listing.js";
import type { CallRequest, FalconEnvelope } from "../../../src/probes/crowdstrike/calls.js";
import type { SourcePage } from "../../../src/sync/source.js";

const host = (n: number) => ({ device_id: `id-${n}` });
const envelope = (resources: unknown[], pagination: Record<string, unknown>): FalconEnvelope => ({ resources, pagination, tolerated: [], traceId: "t" });

/** Calls answered from `script`, in order; the requests are kept. */
const scripted = (script: FalconEnvelope[]): HostCalls & { requests: CallRequest[] } => {
  const requests: CallRequest[] = [];
  return {
    requests,
    call: (request) => {
      requests.push(request);
      const next = script.shift();
      return next === undefined ? Promise.reject(new Error("no more answers")) : Promise.resolve(next);
    },
  };
};

/** The listing over `calls`, with fresh stats. */
const listing = (calls: HostCalls, scrollOnly = false, pageSize = 2) => {
  const stats: ListingStats = { path: "combined", restarts: 0, total: null, distinct: 0, vanished: 0, ended: false };
  const pages = listHosts(calls, { pageSize, maxDevices: 1_000, scrollOnly, staleBefore: () => 0, taskLog: () => undefined, logPrefix: "FALCON" }, stats);
  return { stats, pages };
};

const read = async (calls: HostCalls, scrollOnly = false, pageSize = 2) => {
  const { stats, pages: listed } = listing(calls, scrollOnly, pageSize);
  const pages: SourcePage[] = [];
  let error: unknown;
  try {
    for await (const page of listed) pages.push(page);
  } catch (e) {
    error = e;
  }
  return { stats, pages, error };
};

test("combined: next followed (filter and sort sent each time) to the documented end; a repeat flagged by device_id", async () => {
  const calls = scripted([envelope([host(1), host(2)], { next: "a", total: 3 }), envelope([host(2), host(3)], { next: "" })]);
  const { stats, pages, error } = await read(calls);
  assert.equal(error, undefined);
  assert.equal(stats.ended, true);
  assert.deepEqual(
    pages.map((p) => [...(p.firstSightings ?? [])]),
    [
      [1, 1],
      [0, 1],
    ],
  );
  assert.deepEqual(
    calls.requests.map((r) => r.searchParams),
    [
      { limit: 2, sort: "device_id.asc" },
      { limit: 2, sort: "device_id.asc", offset: "a" },
    ],
  );
  assert.equal(stats.distinct, 3);
});

test("combined: empty pages that keep giving a next token end as a paging error, never as the end", async () => {
  const calls = scripted([envelope([host(1)], { next: "a" }), ...["b", "c", "d", "e", "f"].map((next) => envelope([], { next }))]);
  const { stats, error } = await read(calls);
  assert.ok(error instanceof ProbeRunError && error.detail.code === "ERR_API_PAGING", String(error));
  assert.equal(stats.ended, false);
});

test("scroll: ids to the empty offset, then the hosts by POST; an id left out twice counts as vanished", async () => {
  const ids = Array.from({ length: 200 }, (_, n) => `id-${n}`);
  const calls = scripted([
    envelope(ids.slice(0, 150), { offset: "p", total: 200 }),
    envelope(ids.slice(150), { offset: "p" }),
    envelope([], { offset: "", total: 0 }),
    envelope(
      ids.slice(0, 100).map((id) => ({ device_id: id })),
      {},
    ),
    envelope(
      ids.slice(100, 198).map((id) => ({ device_id: id })),
      {},
    ), // id-198 and id-199 left out
    envelope([{ device_id: "id-198" }], {}), // asked again: one comes back
  ]);
  const { stats, pages, error } = await read(calls, true, 100);
  assert.equal(error, undefined);
  assert.equal(stats.ended, true);
  assert.equal(stats.vanished, 1);
  assert.equal(stats.total, 200);
  assert.deepEqual(calls.requests[5]?.json, { ids: ["id-198", "id-199"] });
  assert.equal(pages.length, 2);
});

test("scroll: more ids left out twice than deletions during a read explain (over 1 %) ends the run, never complete with hosts unread", async () => {
  const calls = scripted([
    envelope(["id-1", "id-2", "id-3"], { offset: "p", total: 3 }),
    envelope([], { offset: "", total: 0 }),
    envelope([host(1)], {}),
    envelope([], {}),
  ]);
  const { stats, error } = await read(calls, true, 100);
  assert.equal(stats.ended, false);
  assert.ok(error instanceof ProbeRunError);
  assert.equal(error.code, "ERR_API_PAGING");
  assert.match(error.message, /2 of the 3 host ids/);
});

test("combined: the next page is asked for before the page before is handed over, and a consumer that stops cancels it", async () => {
  const calls = scripted([envelope([host(1), host(2)], { next: "a" }), envelope([host(3), host(4)], { next: "b" }), envelope([host(5)], { next: "" })]);
  const { pages } = listing(calls);
  const first = await pages.next();
  assert.equal(first.done, false);
  assert.equal(calls.requests.length, 2, "the second page's call is made while the first is worked through");
  assert.equal(calls.requests[1]?.searchParams?.["offset"], "a");
  assert.equal(calls.requests[1]?.signal?.aborted, false);
  await pages.return(undefined);
  assert.equal(calls.requests[1]?.signal?.aborted, true, "the page asked for ahead is cancelled");
  assert.equal(calls.requests.length, 2, "and nothing more is asked");
});
