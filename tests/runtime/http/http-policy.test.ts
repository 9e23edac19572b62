import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay } from "../../../src/runtime/http/client.js";
import { redact } from "../../../src/util/redact.js";

test("Retry-After is honoured exactly, never shortened by jitter", () => {
  assert.equal(
    backoffDelay(2_000, 2_000, () => 0),
    2_000,
  );
});

test("back-off without Retry-After is jittered between half and all of the step", () => {
  assert.equal(
    backoffDelay(4_000, undefined, () => 0),
    2_000,
  );
  assert.equal(
    backoffDelay(4_000, undefined, () => 1),
    4_000,
  );
});

test("zero means no retry", () => {
  assert.equal(
    backoffDelay(0, undefined, () => 0.5),
    0,
  );
});

test("redact removes secrets, bearer tokens, JWTs and form secrets", () => {
  const text = "secret=Sup3rS3cret! Authorization: Bearer abc.def-ghi eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln client_secret=xyz&scope=a";
  const out = redact(text, ["Sup3rS3cret!"]);
  assert.ok(!out.includes("Sup3rS3cret!"));
  assert.ok(!out.includes("abc.def-ghi"));
  assert.ok(!out.includes("eyJhbGciOiJSUzI1NiJ9"));
  assert.ok(!out.includes("xyz"));
  assert.match(out, /scope=a/);
});
