/**
 * Random bytes where a page should be: a clear ERR_API_BAD_RESPONSE (or a network error
 * for bytes that break HTTP framing), never a crash.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import fc from "fast-check";
import { generate } from "selfsigned";
import { startHarness, type Harness } from "./harness.js";
import { defender365 } from "../../src/probes/defender365/index.js";

let h: Harness;
let server: Server;
let origin: string;
let body: Buffer = Buffer.alloc(0);

before(async () => {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  } as Parameters<typeof generate>[1]);
  server = createServer({ key: pems.private, cert: pems.cert }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  h = await startHarness({ devices: 5 });
  // An environment that trusts both the simulated tenant and this page server.
  const { createEnvironment } = await import("../../src/environment.js");
  h = { ...h, env: createEnvironment({ extraCaPem: [h.tenant.caPem, pems.cert], retryLimit: 0 }) };
});
after(async () => {
  server.closeAllConnections();
  server.close();
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
          { mode: "connector", credential: h.credential(), options: h.options({ apiBaseUrl: origin }), assets: [] },
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
