import { test } from "node:test";
import assert from "node:assert/strict";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";
import { httpFor, tokenFor } from "./helpers.js";

/** Raw bytes of `GET /api/machines{query}`. */
const page = async (tenant: SimulatedTenant, token: string, query: string): Promise<{ status: number; bytes: Buffer }> => {
  const res = await httpFor(tenant)(`${tenant.apiBaseUrl}/api/machines${query}`, { headers: { authorization: `Bearer ${token}` }, responseType: "buffer" });
  return { status: res.statusCode, bytes: res.body };
};

const withTenants = async (run: (cached: SimulatedTenant, plain: SimulatedTenant) => Promise<void>): Promise<void> => {
  const options = { seed: 11, devices: 45, pageCap: 20, rateLimit: false } as const;
  const [cached, plain] = await Promise.all([startSimulatedTenant({ ...options, pageCache: true }), startSimulatedTenant(options)]);
  try {
    await run(cached, plain);
  } finally {
    await Promise.all([cached.close(), plain.close()]);
  }
};

test("pageCache: a page rendered once, then the same bytes from memory, counted as served each time", async () => {
  await withTenants(async (cached, plain) => {
    const [tc, tp] = await Promise.all([tokenFor(cached), tokenFor(plain)]);
    const queries = ["?$top=20&$skip=0", "?$top=20&$skip=40", "?$filter=healthStatus%20ne%20'Inactive'&$top=20", "", "?$top=20&$skip=100"];
    for (const q of queries) {
      const rendered = await page(plain, tp, q);
      const first = await page(cached, tc, q);
      const second = await page(cached, tc, q);
      assert.equal(first.status, 200, q);
      // Both tenants listen on their own port, which is in the body (@odata.context, nextLink).
      const portless = (b: Buffer) => b.toString("utf8").replaceAll(plain.origin, "ORIGIN").replaceAll(cached.origin, "ORIGIN");
      assert.equal(portless(first.bytes), portless(rendered.bytes), q);
      assert.ok(second.bytes.equals(first.bytes), `${q}: the cached answer is the rendered one, byte for byte`);
    }
    assert.equal(cached.stats.listPagesRendered, queries.length);
    assert.equal(cached.stats.listPagesFromCache, queries.length);
    assert.equal(plain.stats.listPagesFromCache, 0);
    assert.equal(cached.stats.machinesServed, 2 * plain.stats.machinesServed, "devices served counted for cached answers too");
  });
});

test("pageCache: a request with a fault bypasses the cache and empties it (drift changes the list)", async () => {
  await withTenants(async (cached) => {
    const token = await tokenFor(cached);
    const before = await page(cached, token, "?$top=20&$skip=20");
    cached.faults = { api: [{ kind: "broken-record", index: 0, field: "id", value: 42 }] };
    const broken = await page(cached, token, "?$top=20&$skip=20");
    assert.ok(!broken.bytes.equals(before.bytes), "the fault's page is rendered, not the cached one");
    assert.equal(cached.stats.listPagesFromCache, 0);
    cached.faults = { api: [{ kind: "drift", remove: 3 }] };
    const drifted = await page(cached, token, "?$top=20&$skip=20");
    cached.faults = {};
    const after = await page(cached, token, "?$top=20&$skip=20");
    assert.ok(!after.bytes.equals(before.bytes), "after drift the page is rendered again from the changed list");
    assert.ok(after.bytes.equals(drifted.bytes));
    assert.equal(cached.stats.listPagesFromCache, 0);
    assert.equal(cached.stats.listPagesRendered, 4);
    assert.ok((await page(cached, token, "?$top=20&$skip=20")).bytes.equals(after.bytes));
    assert.equal(cached.stats.listPagesFromCache, 1);
  });
});

test("pageCache: service time still applies to cached answers", async () => {
  const tenant = await startSimulatedTenant({ seed: 3, devices: 40, pageCap: 20, rateLimit: false, pageCache: true, serviceMsPerDevice: 5 });
  try {
    const token = await tokenFor(tenant);
    await page(tenant, token, "?$top=20");
    const started = performance.now();
    await page(tenant, token, "?$top=20");
    assert.ok(performance.now() - started >= 95, "20 devices × 5 ms");
    assert.equal(tenant.stats.listPagesFromCache, 1);
  } finally {
    await tenant.close();
  }
});

test("pageCache must be a boolean", async () => {
  await assert.rejects(startSimulatedTenant({ pageCache: "yes" as unknown as boolean }), /simulator option pageCache: expected a boolean/);
});
