/**
 * `optionsTable`: one table of `{ codec, default, doc }` gives the options codec (defaults
 * filled, unknown keys refused by name, a bad value named by its field), the docs and the type.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as t from "io-ts";
import { issuesOf } from "../../src/util/decode.js";
import { optionsTable, type OptionsOf } from "../../src/sdk/index.js";

const options = optionsTable(
  {
    region: { codec: t.keyof({ eu: null, us: null }), default: "eu", doc: "Where the tenant lives." },
    pageSize: { codec: t.number, default: 500, doc: "Devices per call." },
    includeInactive: { codec: t.boolean, default: false, doc: "Also read inactive devices." },
    apiBaseUrl: { codec: t.string, required: true, doc: "The API's https URL." },
    lastSeenAfter: { codec: t.string, doc: "Only devices seen after this time." },
  },
  "AcmeOptions",
);
type Options = OptionsOf<typeof options>;

const issues = (raw: unknown) => {
  const decoded = options.codec.decode(raw);
  return decoded._tag === "Left" ? issuesOf(decoded.left) : [];
};

test("defaults fill the keys left out; an option without default stays undefined", () => {
  const decoded = options.codec.decode({ apiBaseUrl: "https://acme.example" });
  assert.equal(decoded._tag, "Right");
  const value: Options = decoded._tag === "Right" ? decoded.right : assert.fail("decodes");
  assert.deepEqual(value, { region: "eu", pageSize: 500, includeInactive: false, apiBaseUrl: "https://acme.example" });
  assert.equal(value.lastSeenAfter, undefined);
  assert.equal(options.codec.is(value), true);
  assert.equal(options.codec.is({}), false, "decoded options hold their defaults");
});

test("a given value wins over the default", () => {
  const decoded = options.codec.decode({ apiBaseUrl: "https://acme.example", region: "us", pageSize: 50, lastSeenAfter: "2025-06-01T00:00:00Z" });
  assert.deepEqual(decoded._tag === "Right" ? decoded.right : null, {
    region: "us",
    pageSize: 50,
    includeInactive: false,
    apiBaseUrl: "https://acme.example",
    lastSeenAfter: "2025-06-01T00:00:00Z",
  });
});

test("an unknown key is refused by name, with the known ones", () => {
  const found = issues({ apiBaseUrl: "https://acme.example", pagesize: 10 });
  assert.deepEqual(
    found.map((i) => i.field),
    ["pagesize"],
  );
  assert.match(found[0]?.problem ?? "", /unknown option "pagesize"; known options: region, pageSize, includeInactive, apiBaseUrl, lastSeenAfter/);
});

test("a bad value names its field and what is expected, not the value", () => {
  const found = issues({ apiBaseUrl: "https://acme.example", pageSize: "secret-looking-value", region: "mars" });
  assert.deepEqual(found.map((i) => i.field).sort(), ["pageSize", "region"]);
  assert.doesNotMatch(JSON.stringify(found), /secret-looking-value|mars/);
});

test("a required option left out is named with its doc; `{}`, null and undefined are alike", () => {
  for (const raw of [{}, null, undefined]) assert.deepEqual(issues(raw), [{ field: "apiBaseUrl", problem: "required: The API's https URL." }]);
  assert.deepEqual(
    issues([1]).map((i) => i.problem),
    ["expected a JSON object of options (got array)"],
  );
});

test("docs carry each option's default, or say it is required", () => {
  assert.deepEqual(options.docs, {
    region: 'Where the tenant lives. Default: "eu".',
    pageSize: "Devices per call. Default: 500.",
    includeInactive: "Also read inactive devices. Default: false.",
    apiBaseUrl: "The API's https URL. Required.",
    lastSeenAfter: "Only devices seen after this time.",
  });
  assert.deepEqual(options.defaults, { region: "eu", pageSize: 500, includeInactive: false });
});

test("keys such as __proto__ and toString are unknown options, not inherited ones", () => {
  assert.deepEqual(
    issues(JSON.parse('{"apiBaseUrl":"https://a.example","__proto__":{"x":1},"toString":1}')).map((i) => i.field),
    ["__proto__", "toString"],
  );
});

test("types: a default the codec cannot give does not compile, and the options type follows the table", () => {
  // @ts-expect-error a string default for a number option
  optionsTable({ pageSize: { codec: t.number, default: "many", doc: "Devices per call." } });
  const typed: Options = { region: "eu", pageSize: 1, includeInactive: true, apiBaseUrl: "https://a.example" };
  // @ts-expect-error pageSize has a default, so decoded options always hold it
  const missing: Options = { region: "eu", includeInactive: true, apiBaseUrl: "https://a.example" };
  // @ts-expect-error region is "eu" or "us", as its codec says
  const elsewhere: Options = { region: "mars", pageSize: 1, includeInactive: true, apiBaseUrl: "https://a.example" };
  // @ts-expect-error apiBaseUrl is required
  const unnamed: Options = { region: "eu", pageSize: 1, includeInactive: true };
  assert.ok(typed && missing && elsewhere && unnamed);
});
