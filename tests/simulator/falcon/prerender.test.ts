import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimulatedFalcon } from "../../../src/simulator/index.js";
import type { SimulatedFalcon } from "../../../src/simulator/index.js";
import { envelope, getWith, tokenFor } from "./helpers.js";

describe("simulated Falcon: pre-rendered combined pages", () => {
  let falcon: SimulatedFalcon;
  before(async () => {
    falcon = await startSimulatedFalcon({ seed: 12, hosts: 230, regions: ["us-1"] });
  });
  after(() => falcon.close());

  it("sends pre-rendered pages with a fresh trace id each, the same hosts as a rendered listing", async () => {
    const token = await tokenFor(falcon);
    const list = async (): Promise<{ ids: string[]; traces: string[] }> => {
      const ids: string[] = [];
      const traces: string[] = [];
      let offset = "";
      for (;;) {
        const res = await getWith(falcon, token, `/devices/combined/devices/v1?limit=100&offset=${encodeURIComponent(offset)}`);
        const env = envelope(res);
        assert.equal(res.headers["x-cs-traceid"], env.meta.trace_id);
        traces.push(env.meta.trace_id);
        ids.push(...(env.resources as { device_id: string }[]).map((r) => r.device_id));
        const next = env.meta.pagination?.["next"];
        if (typeof next !== "string") return { ids, traces };
        offset = next;
      }
    };
    const rendered = await list();
    assert.deepEqual(falcon.prerenderCombined(100).pages, 3);
    falcon.resetStats();
    const cached = await list();
    assert.deepEqual(cached.ids, rendered.ids);
    assert.equal(falcon.stats.pagesFromCache, 3);
    assert.equal(falcon.stats.pagesRendered, 0);
    assert.equal(new Set([...cached.traces, ...rendered.traces]).size, 6);
    falcon.addHost(0);
    falcon.resetStats();
    const changed = await list();
    assert.equal(changed.ids.length, 231);
    assert.equal(falcon.stats.pagesFromCache, 0, "a change to the host set empties the cache");
  });
});
