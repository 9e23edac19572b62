/**
 * The SDK's helpers for adapters: `decodeWith` (an item or a warning naming fields, never
 * values) and `httpFailure` (a failed request classified by status, never by message text).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import got from "got";
import * as t from "io-ts";
import { apiError, decodeWith, httpFailure, ProbeRunError } from "../../src/sdk/index.js";

const Device = t.type({ id: t.string, hostname: t.string, agent: t.keyof({ healthy: null, absent: null }) });

test("decodeWith: a device decodes to its item", () => {
  assert.deepEqual(decodeWith(Device, { id: "d1", hostname: "web-01", agent: "healthy" }, { page: 1, index: 0 }, "ACME_INVALID_DEVICE"), {
    item: { id: "d1", hostname: "web-01", agent: "healthy" },
  });
});

test("decodeWith: a broken device is a warning with its id, path and fields, never a value", () => {
  const decoded = decodeWith(Device, { id: "d7", hostname: 42, agent: "tenant-secret-value" }, { page: 3, index: 17 }, "ACME_INVALID_DEVICE");
  assert.ok("warning" in decoded);
  assert.equal(decoded.warning.code, "ACME_INVALID_DEVICE");
  assert.equal(decoded.warning.path, "page 3 › [17].hostname");
  assert.match(decoded.warning.message, /^Skipped device d7: hostname expected string \(got number\); agent /);
  assert.doesNotMatch(JSON.stringify(decoded), /tenant-secret-value|42/);
});

const server = createServer((request, response) => {
  const status = Number(request.url?.slice(1));
  response.writeHead(status, { "x-request-id": "req-1" }).end("{}");
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
after(() => server.close());
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** What got throws for a request answered `status`. */
const failed = (status: number): Promise<unknown> =>
  got(`${base}/${status}`, { retry: { limit: 0 } }).then(
    () => assert.fail("a failure"),
    (error: unknown) => error,
  );

test("httpFailure: each status gets its code, with the status and request id", async () => {
  const codes: [number, string][] = [
    [401, "ERR_API_UNAUTHORIZED"],
    [403, "ERR_API_FORBIDDEN"],
    [404, "ERR_API_NOT_FOUND"],
    [429, "ERR_API_THROTTLED"],
    [503, "ERR_API_SERVER"],
    [418, "ERR_API_BAD_RESPONSE"],
  ];
  for (const [status, code] of codes) {
    const error = httpFailure(await failed(status), { source: "Acme", permissionHint: "Give the key devices:read." });
    assert.equal(error.code, code, String(status));
    assert.ok(error._tag === "ApiError" && error.status === status && error.requestId === "req-1");
    assert.match(error.message, /Acme/);
  }
  assert.equal(httpFailure(await failed(403), { source: "Acme", permissionHint: "Give the key devices:read." }).hint, "Give the key devices:read.");
});

test("httpFailure: a network failure, an error raised on purpose, and one after the cancel", async () => {
  const refused = await got("http://127.0.0.1:9/", { retry: { limit: 0 } }).then(
    () => assert.fail("refused"),
    (error: unknown) => error,
  );
  assert.equal(httpFailure(refused, { source: "Acme" }).code, "ERR_API_NETWORK");
  const raised = apiError("ERR_API_PAGING", "Acme repeated a cursor.", "Run again.");
  assert.deepEqual(httpFailure(new ProbeRunError(raised), { source: "Acme" }), raised);
  assert.equal(httpFailure(refused, { source: "Acme", signal: AbortSignal.abort() }).code, "ERR_CANCELLED");
});
