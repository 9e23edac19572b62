import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimulatedFalcon } from "../../../src/simulator/index.js";
import type { SimulatedFalcon } from "../../../src/simulator/index.js";
import { envelope, getWith, tokenFor } from "./helpers.js";

const COMBINED = "/devices/combined/devices/v1";

describe("simulated Falcon: rate limits and faults", () => {
  let falcon: SimulatedFalcon;
  let token: string;
  const get = (path: string) => getWith(falcon, token, path);
  before(async () => {
    falcon = await startSimulatedFalcon({ seed: 9, hosts: 120, regions: ["us-1"] });
    token = await tokenFor(falcon);
  });
  after(() => falcon.close());

  it("limits requests per CID over a sliding minute: 429 with X-RateLimit-RetryAfter in epoch seconds, then admits after it", async () => {
    falcon.knobs.rateLimit = { perCidPerMinute: 3, badTokenPerIpPerMinute: 15, tokenPerIpPerMinute: 300 };
    falcon.resetRateLimit();
    try {
      const remaining: string[] = [];
      for (let k = 0; k < 3; k++) remaining.push(String((await get(`${COMBINED}?limit=1`)).headers["x-ratelimit-remaining"]));
      assert.deepEqual(remaining, ["2", "1", "0"]);
      const refused = await get(`${COMBINED}?limit=1`);
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.headers["x-ratelimit-limit"], "3");
      const retryAt = Number(refused.headers["x-ratelimit-retryafter"]);
      assert.ok(retryAt > Date.now() / 1000 && retryAt < Date.now() / 1000 + 61, `RetryAfter ${retryAt} is epoch seconds within a minute`);
      assert.equal(envelope(refused).errors[0]?.code, 429);
      falcon.knobs.retryAfterUnit = "milliseconds";
      const inMs = Number((await get(`${COMBINED}?limit=1`)).headers["x-ratelimit-retryafter"]);
      assert.ok(inMs > 1e12, "milliseconds when the knob says so");
      falcon.advanceClock(61_000);
      assert.equal((await get(`${COMBINED}?limit=1`)).statusCode, 200);
    } finally {
      falcon.knobs.rateLimit = { perCidPerMinute: 6000, badTokenPerIpPerMinute: 15, tokenPerIpPerMinute: 300 };
      falcon.knobs.retryAfterUnit = "seconds";
      falcon.resetRateLimit();
    }
  });

  it("limits bad tokens per source IP to 15 a minute", async () => {
    falcon.resetRateLimit();
    const statuses: number[] = [];
    for (let k = 0; k < 16; k++) statuses.push((await getWith(falcon, "not-a-token", `${COMBINED}?limit=1`)).statusCode);
    assert.deepEqual(statuses, [...Array<number>(15).fill(401), 429]);
    falcon.resetRateLimit();
  });

  it("injects a burst of 429s at request N, then answers normally", async () => {
    falcon.setFaults([{ kind: "status", status: 429, at: 2, times: 2, retryAfterSeconds: 5 }]);
    const statuses: number[] = [];
    let retryAfter = "";
    for (let k = 0; k < 4; k++) {
      const res = await get(`${COMBINED}?limit=1`);
      statuses.push(res.statusCode);
      if (res.statusCode === 429) retryAfter = String(res.headers["x-ratelimit-retryafter"]);
    }
    assert.deepEqual(statuses, [200, 429, 429, 200]);
    assert.ok(Number(retryAfter) >= Math.floor(Date.now() / 1000) + 4);
    assert.equal(falcon.stats.faultsApplied.filter((f) => f.kind === "status").length, 2);
    falcon.setFaults([]);
  });

  it("answers a 5xx with the gateway body naming the trace id", async () => {
    falcon.setFaults([{ kind: "status", status: 500 }]);
    const res = await get(`${COMBINED}?limit=1`);
    assert.equal(res.statusCode, 500);
    const env = envelope(res);
    assert.equal(env.meta.powered_by, "crowdstrike-api-gateway");
    assert.equal(env.errors[0]?.message, `Internal Server Error: Please provide trace-id='${env.meta.trace_id}' to support`);
    assert.equal(res.headers["x-cs-traceid"], env.meta.trace_id);
    falcon.setFaults([]);
  });

  it("answers a 200 whose errors array is not empty", async () => {
    falcon.setFaults([{ kind: "errors-on-200", path: COMBINED }]);
    const res = await get(`${COMBINED}?limit=5`);
    assert.equal(res.statusCode, 200);
    assert.equal(envelope(res).resources?.length, 5);
    assert.equal(envelope(res).errors.length, 1);
    falcon.setFaults([]);
  });

  it("cuts a body in the middle of its JSON", async () => {
    falcon.setFaults([{ kind: "truncated" }]);
    const res = await get(`${COMBINED}?limit=5`);
    assert.equal(res.statusCode, 200);
    assert.throws(() => JSON.parse(res.body) as unknown, SyntaxError);
    falcon.setFaults([]);
  });

  it("redirects a data call to another origin", async () => {
    falcon.setFaults([{ kind: "redirect" }]);
    const res = await get(`${COMBINED}?limit=5`);
    assert.equal(res.statusCode, 307);
    assert.equal(res.headers.location, `https://falcon.attacker.example${COMBINED}?limit=5`);
    falcon.setFaults([]);
  });

  it("adds a host at the start of the listing between pages: offset paging then repeats a host", async () => {
    falcon.setFaults([{ kind: "add-host", path: COMBINED, at: 2 }]);
    const first = envelope(await get(`${COMBINED}?limit=50`));
    const next = String(first.meta.pagination?.["next"]);
    const second = envelope(await get(`${COMBINED}?limit=50&offset=${encodeURIComponent(next)}`));
    const a = (first.resources as { device_id: string }[]).map((r) => r.device_id);
    const b = (second.resources as { device_id: string }[]).map((r) => r.device_id);
    assert.equal(second.meta.pagination?.["total"], 121);
    assert.deepEqual(b[0], a[a.length - 1]);
    falcon.setFaults([]);
  });

  it("expires a scroll on request and counts requests per endpoint", async () => {
    falcon.setFaults([{ kind: "expire-scroll", path: "/devices/queries/devices-scroll/v1", at: 2 }]);
    const offset = String(envelope(await get("/devices/queries/devices-scroll/v1?limit=10")).meta.pagination?.["offset"]);
    const res = await get(`/devices/queries/devices-scroll/v1?limit=10&offset=${encodeURIComponent(offset)}`);
    assert.equal(res.statusCode, 400);
    falcon.setFaults([]);
    assert.ok((falcon.stats.byEndpoint["GET /devices/queries/devices-scroll/v1"] ?? 0) >= 2);
    assert.ok(falcon.stats.tokensIssued >= 1);
    assert.ok(falcon.stats.bytesSent > 0);
  });

  it("refuses an invalid fault plan naming the field", () => {
    assert.throws(() => falcon.setFaults([{ kind: "status", status: 200 }]), /faults\[0\]\.status/);
  });
});
