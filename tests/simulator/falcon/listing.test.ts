import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimulatedFalcon } from "../../../src/simulator/index.js";
import type { SimulatedFalcon } from "../../../src/simulator/index.js";
import { envelope, getWith, httpFor, tokenFor } from "./helpers.js";

const COMBINED = "/devices/combined/devices/v1";
const SCROLL = "/devices/queries/devices-scroll/v1";

describe("simulated Falcon: listing hosts", () => {
  let falcon: SimulatedFalcon;
  let token: string;
  const get = (path: string) => getWith(falcon, token, path);
  before(async () => {
    falcon = await startSimulatedFalcon({ seed: 5, hosts: 250 });
    token = await tokenFor(falcon);
  });
  after(() => falcon.close());

  /** Every combined page from `first` on, following `next`. */
  const combinedPages = async (first: string): Promise<{ ids: string[]; pages: number; records: Record<string, unknown>[] }> => {
    const ids: string[] = [];
    const records: Record<string, unknown>[] = [];
    let pages = 0;
    let offset = "";
    for (;;) {
      const res = await get(`${first}${first.includes("?") ? "&" : "?"}offset=${encodeURIComponent(offset)}`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 200));
      const env = envelope(res);
      pages += 1;
      for (const r of env.resources as Record<string, unknown>[]) {
        ids.push(String(r["device_id"]));
        records.push(r);
      }
      const next = env.meta.pagination?.["next"];
      if (typeof next !== "string" || next === "") return { ids, pages, records };
      offset = next;
    }
  };

  it("pages the combined endpoint to the end with next, in device_id order, every response with trace id and rate headers", async () => {
    const res = await get(`${COMBINED}?limit=100`);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(res.headers["x-cs-traceid"], envelope(res).meta.trace_id);
    assert.equal(res.headers["x-ratelimit-limit"], "6000");
    assert.match(String(res.headers["x-ratelimit-remaining"]), /^\d+$/);
    assert.equal(envelope(res).meta.powered_by, "device-api");
    assert.deepEqual(envelope(res).errors, []);
    assert.equal(envelope(res).meta.pagination?.["total"], 250);
    const { ids, pages } = await combinedPages(`${COMBINED}?limit=100`);
    assert.equal(pages, 3);
    assert.equal(ids.length, 250);
    assert.equal(new Set(ids).size, 250);
    assert.deepEqual(ids, [...ids].sort());
    assert.deepEqual(
      ids,
      Array.from({ length: 250 }, (_, i) => falcon.hosts.idAt(i)),
    );
  });

  it("defaults the combined limit to 100 and refuses 0 and 10001", async () => {
    assert.equal(envelope(await get(COMBINED)).resources?.length, 100);
    assert.equal((await get(`${COMBINED}?limit=0`)).statusCode, 400);
    assert.equal((await get(`${COMBINED}?limit=10001`)).statusCode, 400);
  });

  it("filters with FQL (platform, last_seen) and refuses what it does not read with a clear 400", async () => {
    const windows = Array.from({ length: 250 }, (_, i) => falcon.hosts.hostAt(i)).filter((h) => h["platform_name"] === "Windows").length;
    const { ids, records } = await combinedPages(`${COMBINED}?limit=50&filter=${encodeURIComponent("platform_name:'Windows'")}`);
    assert.equal(ids.length, windows);
    assert.ok(records.every((r) => r["platform_name"] === "Windows"));
    const since = new Date(Date.parse(falcon.hosts.now) - 7 * 86_400_000).toISOString().replace(".000Z", "Z");
    const fresh = await combinedPages(`${COMBINED}?limit=500&filter=${encodeURIComponent(`last_seen:>='${since}'+platform_name:'Windows'`)}`);
    assert.ok(fresh.ids.length > 0 && fresh.ids.length < windows);
    assert.ok(fresh.records.every((r) => Date.parse(String(r["last_seen"])) >= Date.parse(since)));
    const bad = await get(`${COMBINED}?filter=${encodeURIComponent("platform_name:'Windows',platform_name:'Mac'")}`);
    assert.equal(bad.statusCode, 400);
    assert.match(envelope(bad).errors[0]?.message ?? "", /OR/);
  });

  it("projects fields and sorts by another field", async () => {
    const env = envelope(await get(`${COMBINED}?limit=5&fields=device_id,hostname`));
    assert.deepEqual(Object.keys(env.resources?.[0] as object).sort(), ["device_id", "hostname"]);
    const { records } = await combinedPages(`${COMBINED}?limit=100&sort=hostname.desc`);
    const names = records.map((r) => String(r["hostname"]));
    assert.deepEqual(names, [...names].sort().reverse());
  });

  it("expires a next token after knobs.nextTtlMs on the simulator's clock", async () => {
    const next = String(envelope(await get(`${COMBINED}?limit=100`)).meta.pagination?.["next"]);
    falcon.advanceClock(121_000);
    const res = await get(`${COMBINED}?limit=100&offset=${encodeURIComponent(next)}`);
    assert.equal(res.statusCode, 400);
    assert.match(envelope(res).errors[0]?.message ?? "", /expired/);
  });

  it("answers 404 on combined when the GovCloud knob says so", async () => {
    falcon.knobs.combinedUnavailable = 404;
    try {
      assert.equal((await get(COMBINED)).statusCode, 404);
      assert.equal((await get(SCROLL)).statusCode, 200);
    } finally {
      falcon.knobs.combinedUnavailable = null;
    }
  });

  it("scrolls to the end: opaque offset of 200+ characters, expires_at in ns, then total 0 and an empty offset", async () => {
    const ids: string[] = [];
    let offset = "";
    let pages = 0;
    for (;;) {
      const before = Date.now();
      const res = await get(`${SCROLL}?limit=100${offset === "" ? "" : `&offset=${encodeURIComponent(offset)}`}`);
      assert.equal(res.statusCode, 200);
      const env = envelope(res);
      const p = env.meta.pagination ?? {};
      if (p["offset"] === "") {
        assert.equal(p["total"], 0);
        assert.deepEqual(env.resources, []);
        break;
      }
      pages += 1;
      assert.ok(String(p["offset"]).length >= 200);
      assert.equal(p["total"], 250);
      const expiresMs = Number(p["expires_at"]) / 1e6;
      assert.ok(expiresMs >= before + 119_000, "expires_at is about two minutes ahead, in ns");
      ids.push(...(env.resources as string[]));
      offset = String(p["offset"]);
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      ids,
      Array.from({ length: 250 }, (_, i) => falcon.hosts.idAt(i)),
    );
  });

  it("refuses a numeric scroll offset and an expired one with 400", async () => {
    const numeric = await get(`${SCROLL}?offset=100`);
    assert.equal(numeric.statusCode, 400);
    assert.equal(envelope(numeric).errors[0]?.message, "Bad request");
    const offset = String(envelope(await get(`${SCROLL}?limit=10`)).meta.pagination?.["offset"]);
    assert.equal((await get(`${SCROLL}?limit=10&offset=${encodeURIComponent(offset)}`)).statusCode, 200);
    falcon.advanceClock(121_000);
    const expired = await get(`${SCROLL}?limit=10&offset=${encodeURIComponent(offset)}`);
    assert.equal(expired.statusCode, 400);
    assert.match(envelope(expired).errors[0]?.message ?? "", /expired/);
  });

  it("caps the integer-offset query at offset + limit = 10000", async () => {
    const big = await startSimulatedFalcon({ seed: 6, hosts: 12_000, regions: ["us-1"] });
    try {
      const t = await tokenFor(big);
      const ok = await getWith(big, t, "/devices/queries/devices/v1?offset=5000&limit=5000");
      assert.equal(ok.statusCode, 200);
      assert.equal(envelope(ok).resources?.length, 5000);
      assert.equal(envelope(ok).meta.pagination?.["total"], 12_000);
      const over = await getWith(big, t, "/devices/queries/devices/v1?offset=10000&limit=1");
      assert.equal(over.statusCode, 400);
      assert.equal(envelope(over).errors[0]?.message, "limit + offset must be less than 10000");
      assert.equal((await getWith(big, t, "/devices/queries/devices/v1?limit=5001")).statusCode, 400);
    } finally {
      await big.close();
    }
  });

  it("takes page limits as options (here a smaller query window)", async () => {
    const small = await startSimulatedFalcon({ seed: 6, hosts: 50, regions: ["us-1"], pageLimits: { queryWindow: 40, combined: 20 } });
    try {
      const t = await tokenFor(small);
      assert.equal((await getWith(small, t, "/devices/queries/devices/v1?offset=30&limit=10")).statusCode, 200);
      const over = await getWith(small, t, "/devices/queries/devices/v1?offset=31&limit=10");
      assert.equal(envelope(over).errors[0]?.message, "limit + offset must be less than 40");
      assert.equal((await getWith(small, t, "/devices/combined/devices/v1?limit=21")).statusCode, 400);
    } finally {
      await small.close();
    }
  });

  it("returns entities by GET (≤100 ids) and POST (≤5000), leaving unknown ids out", async () => {
    const known = [falcon.hosts.idAt(0), falcon.hosts.idAt(7)];
    const unknown = "f".repeat(32);
    const got = await get(`/devices/entities/devices/v2?ids=${known[0]}&ids=${unknown}&ids=${known[1]}`);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(
      (envelope(got).resources as { device_id: string }[]).map((r) => r.device_id),
      known,
    );
    const many = Array.from({ length: 101 }, (_, i) => falcon.hosts.idAt(i));
    const tooMany = await get(`/devices/entities/devices/v2?${many.map((id) => `ids=${id}`).join("&")}`);
    assert.equal(tooMany.statusCode, 400);
    assert.equal(envelope(tooMany).errors[0]?.message, "request must contain between 0 and 100 ids");
    const http = httpFor(falcon);
    const url = `${falcon.apiBaseUrl}/devices/entities/devices/v2`;
    const headers = { authorization: `Bearer ${token}` };
    const posted = await http.post(url, { json: { ids: [...many, unknown] }, headers });
    assert.equal(posted.statusCode, 200);
    assert.equal(envelope(posted).resources?.length, 101);
    const over = await http.post(url, { json: { ids: Array.from({ length: 5001 }, () => unknown) }, headers });
    assert.equal(over.statusCode, 400);
    falcon.knobs.unknownIdErrors = true;
    try {
      const withErrors = await http.post(url, { json: { ids: [known[0], unknown] }, headers });
      assert.equal(withErrors.statusCode, 200);
      assert.deepEqual(envelope(withErrors).errors, [{ code: 404, message: "Resource Not Found", id: unknown }]);
    } finally {
      falcon.knobs.unknownIdErrors = false;
    }
  });

  it("lists a host hidden at run time only on the hidden endpoints, and reports online state", async () => {
    const id = falcon.hosts.idAt(3);
    assert.equal(falcon.hideHost(id), true);
    const visible = await combinedPages(`${COMBINED}?limit=1000`);
    assert.equal(visible.ids.includes(id), false);
    assert.equal(visible.ids.length, 249);
    const hidden = envelope(await get("/devices/queries/devices-hidden/v1"));
    assert.deepEqual(hidden.resources, [id]);
    const hiddenCombined = envelope(await get("/devices/combined/devices-hidden/v1"));
    assert.equal((hiddenCombined.resources?.[0] as Record<string, unknown>)["host_hidden_status"], "hidden");
    const online = envelope(await get(`/devices/entities/online-state/v1?ids=${falcon.hosts.idAt(0)}`));
    assert.equal(online.meta.powered_by, "cs.agentonline");
    assert.match(String((online.resources?.[0] as Record<string, unknown>)["state"]), /^(online|offline)$/);
  });
});
