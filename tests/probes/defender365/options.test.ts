import { test } from "node:test";
import assert from "node:assert/strict";
import { Defender365OptionsCodec, DEFAULT_OPTIONS } from "../../../src/probes/defender365/options.js";
import { decodeInput } from "../../../src/util/decode.js";

const decode = (u: unknown) => decodeInput(Defender365OptionsCodec, u, "options");

test("no options gives every documented default; the endpoints are left to the credential and its cloud", () => {
  const r = decode(undefined);
  assert.equal(r._tag, "Right");
  if (r._tag !== "Right") return;
  assert.equal(r.right.excludeUnknown, false);
  assert.equal(r.right.includeInactive, false);
  assert.equal(r.right.siteId, null);
  assert.equal(r.right.pageSize, 10_000);
  assert.equal(r.right.pageSize, DEFAULT_OPTIONS.pageSize);
  assert.equal(r.right.cloud, undefined);
  assert.equal(r.right.apiBaseUrl, undefined);
  assert.equal(r.right.authorityHost, undefined);
  assert.equal(r.right.scope, undefined);
});

test("named hosts are kept as given; a trailing slash is dropped", () => {
  const r = decode({ cloud: "commercial", apiBaseUrl: "https://eu.api.security.microsoft.com/", authorityHost: "https://127.0.0.1:8443" });
  assert.equal(r._tag, "Right");
  if (r._tag !== "Right") return;
  assert.equal(r.right.apiBaseUrl, "https://eu.api.security.microsoft.com");
  assert.equal(r.right.authorityHost, "https://127.0.0.1:8443");
});

test("expectedDevices is passed through; absent, it is unknown", () => {
  const given = decode({ expectedDevices: 87_384 });
  assert.equal(given._tag === "Right" && given.right.expectedDevices, 87_384);
  const absent = decode({});
  assert.equal(absent._tag === "Right" && absent.right.expectedDevices, undefined);
});

test("an unknown key is refused by name", () => {
  const r = decode({ pagesize: 100 });
  assert.equal(r._tag, "Left");
  if (r._tag !== "Left") return;
  assert.equal(r.left.issues[0]?.field, "pagesize");
  assert.match(r.left.message, /unknown option "pagesize"/);
  assert.match(r.left.message, /pageSize/);
});

for (const [name, input, field, pattern] of [
  ["pageSize above the API maximum", { pageSize: 10_001 }, "pageSize", /2 to 10000/],
  ["pageSize 1 (pages overlap by one device)", { pageSize: 1 }, "pageSize", /2 to 10000/],
  ["pageSize not whole", { pageSize: 2.5 }, "pageSize", /whole number/],
  ["plain http API URL", { apiBaseUrl: "http://api.security.microsoft.com" }, "apiBaseUrl", /https/],
  ["not a URL", { authorityHost: "login" }, "authorityHost", /not a URL/],
  ["unknown cloud", { cloud: "china" }, "cloud", /commercial, gcc, gcc-high, dod/],
  ["boolean as string", { includeInactive: "yes" }, "includeInactive", /true or false/],
  ["options not an object", [1, 2], "(root)", /JSON object/],
  ["expectedDevices negative", { expectedDevices: -1 }, "expectedDevices", /counts\.fetched/],
  ["expectedDevices as a string", { expectedDevices: "87384" }, "expectedDevices", /whole number of devices/],
  ["empty scope", { scope: "" }, "scope", /\/\.default/],
  ["blank scope", { scope: "  " }, "scope", /\/\.default/],
  ["scope without /.default", { scope: "https://api.securitycenter.microsoft.com" }, "scope", /\/\.default/],
  ["an Object.prototype name as an option", { toString: 1 }, "toString", /unknown option "toString"/],
  ["__proto__ as an option (as JSON.parse makes it)", JSON.parse('{"__proto__": {"cloud": "dod"}}') as unknown, "__proto__", /unknown option "__proto__"/],
  ["cloud named after an Object.prototype member", { cloud: "constructor" }, "cloud", /commercial, gcc, gcc-high, dod/],
] as const) {
  test(`bad option: ${name}`, () => {
    const r = decode(input);
    assert.equal(r._tag, "Left");
    if (r._tag !== "Left") return;
    assert.equal(r.left.issues[0]?.field, field);
    assert.match(r.left.issues[0]?.problem ?? "", pattern);
  });
}
