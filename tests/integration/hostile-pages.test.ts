/**
 * Random bytes where a page should be: a clear ERR_API_BAD_RESPONSE (or a network error
 * for bytes that break HTTP framing), never a crash.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startHarness, type Harness } from "./harness.js";
import { startPageServer, type PageServer } from "./page-server.js";
import { defender365 } from "../../src/probes/defender365/index.js";

let h: Harness;
let pages: PageServer;
let body: Buffer = Buffer.alloc(0);

before(async () => {
  pages = await startPageServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  h = await startHarness({ devices: 5 });
  // An environment that trusts both the simulated tenant and this page server.
  const { createEnvironment } = await import("../../src/environment.js");
  h = { ...h, env: createEnvironment({ extraCaPem: [h.tenant.caPem, pages.certPem], retryLimit: 0 }) };
});
after(async () => {
  pages.close();
  await h.tenant.close();
});

test("random bytes as an API page give a clear error, never a crash", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 2_000 }),
        fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
      ),
      async (bytes) => {
        body = Buffer.from(bytes);
        const outcome = await defender365.run(
          { mode: "connector", credential: h.credential("azure-client-secret", { apiBaseUrl: pages.origin }), options: h.options(), assets: [] },
          h.env,
        )();
        if (outcome._tag === "Right") {
          assert.equal(outcome.right.summary.complete, true); // a body that is a valid page shape, e.g. {"value":[]}
        } else {
          assert.ok(["ERR_API_BAD_RESPONSE", "ERR_API_NETWORK"].includes(outcome.left.code), outcome.left.code);
          assert.equal(outcome.left.partial?.summary.coverage.missing, 0);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("an id with a bad escape is ERR_API_BAD_RESPONSE naming the page, not a network error", async () => {
  body = Buffer.from('{"value":[{"id":"a\\x","computerDnsName":"pc1"}]}');
  const outcome = await defender365.run(
    { mode: "connector", credential: h.credential("azure-client-secret", { apiBaseUrl: pages.origin }), options: h.options(), assets: [] },
    h.env,
  )();
  assert.equal(outcome._tag, "Left");
  if (outcome._tag !== "Left") return;
  assert.equal(outcome.left.code, "ERR_API_BAD_RESPONSE");
  assert.match(outcome.left.message, /^Page 1 /);
});
