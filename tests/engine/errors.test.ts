import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES, errorCodeDoc, faultOf, type ErrorCodeTable } from "../../src/engine/errors.js";
import { defaultRegistry } from "../../src/engine/registry.js";

const SRC = new URL("../../src/", import.meta.url).pathname;

/** Codes of Node's own errors that src/ compares against: not ours to document. */
const NODE_CODES = new Set(["ERR_STREAM_DESTROYED"]);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );

/** Every `ERR_…` literal in src/, with a file it is in. */
const codesInSource = (): Map<string, string> => {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC))
    for (const [code] of readFileSync(file, "utf8").matchAll(/\bERR_[A-Z][A-Z_]*[A-Z]\b/g)) if (!found.has(code)) found.set(code, file.slice(SRC.length));
  return found;
};

const probeCodes: readonly [string, ErrorCodeTable][] = defaultRegistry.list().map((probe) => [probe.id, probe.errorCodes ?? {}]);

test("every ERR_ code in src/ is documented: in ERROR_CODES, or in the errorCodes of a registered probe", () => {
  const found = codesInSource();
  assert.ok(found.size > 10, "the scan finds the codes");
  const undocumented = [...found]
    .filter(([code]) => !NODE_CODES.has(code))
    .filter(([code]) => !Object.hasOwn(ERROR_CODES, code) && !probeCodes.some(([, codes]) => Object.hasOwn(codes, code)))
    .map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(undocumented, []);
});

test("the framework's codes say nothing of a particular source", () => {
  for (const [code, doc] of Object.entries(ERROR_CODES)) assert.doesNotMatch(doc.means, /Azure|Entra|Defender|Microsoft|Machine\.Read|AADSTS/, code);
});

for (const [id, codes] of probeCodes) {
  test(`contract: ${id}'s error codes are ERR_ codes, and a framework code it words in its own terms keeps its fault`, () => {
    for (const [code, doc] of Object.entries(codes)) {
      assert.match(code, /^ERR_[A-Z][A-Z_]*[A-Z]$/);
      assert.ok(doc.means.length > 0);
      const framework = (ERROR_CODES as ErrorCodeTable)[code];
      if (framework !== undefined) assert.equal(doc.fault, framework.fault, code);
    }
  });
}

test("faultOf looks up the framework's codes, then the probe's, then the error's kind; errorCodeDoc gives the probe's wording", () => {
  const defender = defaultRegistry.get("defender365")?.errorCodes ?? {};
  const auth = { _tag: "AuthError", code: "ERR_AUTH_UNAVAILABLE", message: "m", hint: "h" } as const;
  assert.equal(faultOf(auth), "provider");
  assert.equal(faultOf({ ...auth, code: "ERR_AUTH_INVALID_SECRET" }, defender), "user");
  assert.equal(errorCodeDoc("ERR_AUTH_INVALID_SECRET"), undefined, "an Entra code is the probe's, not the framework's");
  assert.match(errorCodeDoc("ERR_API_FORBIDDEN")?.means ?? "", /permission/);
  assert.deepEqual(errorCodeDoc("ERR_API_FORBIDDEN", defender), { fault: "user", means: "The token lacks Machine.Read.All (403)." }, "the probe's wording");
  const api = { _tag: "ApiError", code: "ERR_SOMETHING_NEW", message: "m", hint: "h" } as const;
  assert.equal(faultOf(api), "provider");
  assert.equal(faultOf({ ...api, code: "toString" }), "provider", "a code is looked up as an own key only");
});
