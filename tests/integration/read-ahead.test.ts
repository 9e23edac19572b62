/**
 * Reading ahead with several pages in flight, and no count given: the machine ids, when they
 * come in order, tell where the list ends, so that no call goes past it; when they do not, or
 * tell it wrong, every device is still read once. Against a local HTTPS page server answering
 * at once, the reader told to keep four pages in flight (as on a slow service).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import got, { type Got } from "got";
import { readPages } from "../../src/probes/defender365/pages.js";
import { Rng } from "../../src/simulator/gen/rng.js";
import { sortedMachineIds } from "../probes/defender365/machine-ids.js";
import { startPageServer, type PageServer } from "./page-server.js";

const PAGE_SIZE = 100;
const PREFETCH = 4;
let server: PageServer;
/** The list the server serves now. */
let list: readonly string[] = [];

before(async () => {
  server = await startPageServer((req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const top = Number(url.searchParams.get("$top"));
    const skip = Number(url.searchParams.get("$skip"));
    const value = list.slice(skip, skip + top).map((id) => ({ id }));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ "@odata.context": "x", value }));
  });
});
after(() => server.close());

/**
 * Reads `ids` through the page reader, `pageSize` a page; returns the calls made, and those past the end of the
 * list, as the client counts them (when a request is about to go out, as the probe counts its
 * calls: one cancelled before it reached the server counts too). Checks that each device was
 * read once.
 */
const readAll = async (ids: readonly string[], pageSize = PAGE_SIZE): Promise<{ calls: number; pastTheEnd: number }> => {
  list = ids;
  const counts = { calls: 0, pastTheEnd: 0 };
  const client: Got = got.extend({
    https: { certificateAuthority: server.certPem },
    retry: { limit: 0 },
    hooks: {
      beforeRequest: [
        (options) => {
          counts.calls += 1;
          if (Number(new URL(String(options.url)).searchParams.get("$skip")) >= ids.length) counts.pastTheEnd += 1;
        },
      ],
    },
  });
  const read: string[] = [];
  for await (const page of readPages(client, { apiBaseUrl: server.origin, pageSize, prefetch: PREFETCH })) {
    for (let index = 0; index < page.items.length; index++) read.push(page.items.idAt(index) ?? "");
  }
  assert.equal(read.length, ids.length, "every device read");
  assert.equal(new Set(read).size, ids.length, "each once");
  return counts;
};

test("machine ids in id order: never more than one call past the end (three each without the ids); with pages of 1,000, rarely one", async () => {
  // The margin above the estimate is about 4 σ of the devices not yet read: with pages of 100 and lists this short, about a
  // page; with pages of 1,000 and lists of 5,000 to 40,000, a fifth of a page or less (with pages of 10,000 and 87,000
  // devices, about 800 devices).
  const rng = new Rng(0x1d5);
  const runs: { readonly pageSize: number; readonly past: number[] }[] = [];
  for (const [pageSize, lists, fewest, most] of [
    [100, 16, 300, 3_000],
    [1_000, 12, 5_000, 40_000],
  ] as const) {
    const past: number[] = [];
    for (let n = 0; n < lists; n++) past.push((await readAll(sortedMachineIds(rng, rng.range(fewest, most)), pageSize)).pastTheEnd);
    runs.push({ pageSize, past });
  }
  const shown = runs.map(({ pageSize, past }) => `pages of ${pageSize}: ${past.join(" ")}`).join("; ");
  for (const { past } of runs) assert.ok(Math.max(...past) <= 1, `calls past the end, list by list: ${shown}`);
  const larger = runs[1]?.past ?? [];
  assert.ok(larger.filter((p) => p > 0).length < larger.length / 4, `calls past the end, list by list: ${shown}`);
});

test("machine ids out of order: no estimate, pages read ahead past the end as without one, every device read once", async () => {
  const ids = sortedMachineIds(new Rng(3), 1_000).reverse();
  const past = (await readAll(ids)).pastTheEnd;
  assert.ok(past >= 1 && past <= PREFETCH - 1, `${past} calls past the end`);
});

test("ids that are not machine ids: every device read once, as without an estimate", async () => {
  const { pastTheEnd: past } = await readAll(Array.from({ length: 1_000 }, (_, i) => `m${String(i).padStart(4, "0")}`));
  assert.ok(past >= 1 && past <= PREFETCH - 1, `${past} calls past the end`);
});

test("ids in order but crowded into the top of the range (the estimate far too low): every device read once, the estimate dropped", async () => {
  const rng = new Rng(5);
  const ids = sortedMachineIds(rng, 2_000).map((id) => `f${id.slice(1)}`);
  const unique = [...new Set(ids)].sort();
  const { pastTheEnd } = await readAll(unique);
  // Kept, the estimate would hold the read-ahead to the next page or so to the end, and ask for nothing past it.
  assert.ok(pastTheEnd >= 1, `${pastTheEnd} calls past the end: the read-ahead went on without the estimate`);
});
