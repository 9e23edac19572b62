import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { attributesJson, flattenAttributes, MAX_DOTTED_NAMES } from "../../src/sync/attributes.js";

// FC_SEED=<seed> replays a failing run that fast-check reported.
const runs = { numRuns: 400, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

/** The plain flattening: a new `prefix.key` string for every field of every item. */
const plainFlatten = (machine: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && prefix) out[prefix] = {};
      for (const [key, inner] of entries) walk(inner, prefix ? `${prefix}.${key}` : key);
    } else if (prefix) {
      out[prefix] = value;
    }
  };
  walk(machine, "");
  return out;
};

/** Keys that collide once joined (`a.b` and `a` › `b`), that the flattening drops (`""`, `__proto__`), and ordinary ones. */
const key = fc.oneof(fc.constantFrom("a", "b", "a.b", "", "__proto__", "constructor", "0", "1", "x.y.z"), fc.string({ maxLength: 4 }));
const item = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 1 }), tie("object")),
  object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

test("flattenAttributes gives the plain flattening for any item, colliding and dropped keys included, however often its names repeat", () => {
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 4 }), (items) => {
      for (const machine of [...items, ...items]) {
        const fast = flattenAttributes(machine);
        const plain = plainFlatten(machine);
        assert.equal(JSON.stringify(fast), JSON.stringify(plain)); // key order included
        assert.deepEqual(Object.getPrototypeOf(fast), Object.getPrototypeOf(plain)); // an own `__proto__` field sets it, as a plain assignment does
      }
    }),
    runs,
  );
});

test("past the names it keeps, flattenAttributes still names every field", () => {
  const nested = Object.fromEntries(Array.from({ length: MAX_DOTTED_NAMES + 50 }, (_, i) => [`k${i}`, i]));
  const flat = flattenAttributes({ ever: nested });
  assert.equal(Object.keys(flat).length, MAX_DOTTED_NAMES + 50);
  assert.equal(flat[`ever.k${MAX_DOTTED_NAMES + 49}`], MAX_DOTTED_NAMES + 49);
  assert.deepEqual(flat, plainFlatten({ ever: nested }));
});

/** `value` as JSON text with repeated keys allowed: each object is a list of members, written in order. */
type Members = readonly (readonly [string, JsonTree])[];
type JsonTree = { readonly members: Members } | { readonly leaf: unknown };
const tree: fc.Arbitrary<JsonTree> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, fc.record({ leaf: fc.jsonValue({ maxDepth: 1 }) }), tie("object")),
  object: fc.record({ members: fc.array(fc.tuple(fc.oneof(key, fc.constantFrom("a", "b")), tie("node")), { maxLength: 5 }) }),
})).object as fc.Arbitrary<JsonTree>;
const textOf = (node: JsonTree, blank: string): string =>
  "leaf" in node
    ? JSON.stringify(node.leaf)
    : `{${blank}${node.members.map(([k, v]) => `${JSON.stringify(k)}${blank}:${blank}${textOf(v, blank)}`).join(`${blank},${blank}`)}${blank}}`;

/** The flattened attributes as JSON reads them back: what two spellings of the same attributes are compared by (key order included). */
const readBack = (json: string): string => JSON.stringify(JSON.parse(json));

test("attributesJson from an item's text reads back as the flattened item, for any item and spacing, repeated keys included", () => {
  fc.assert(
    fc.property(tree, fc.constantFrom("", " ", "\t"), (root, blank) => {
      const text = textOf(root, blank);
      const machine = JSON.parse(text) as Record<string, unknown>;
      assert.equal(readBack(attributesJson(machine, text)), JSON.stringify(flattenAttributes(machine)));
    }),
    runs,
  );
});

test("attributesJson from an item's text copies nested values as sent, and falls back to the item where the text could read differently", () => {
  assert.equal(attributesJson({ a: { b: 1 }, c: [2] }, '{"a": {"b" :1.0} , "c":[2.0]}'), '{"a.b" :1.0,"c":[2.0]}');
  assert.equal(attributesJson({ a: {}, b: 1 }, '{"a":{},"b":1}'), '{"a":{},"b":1}');
  const deep = `${'{"a":'.repeat(70)}1.0${"}".repeat(70)}`; // past the nesting the text is followed to
  for (const text of ['{"a":{"x":1},"a":{"y":2.0}}', '{"a":{"\\u0062":1.0}}', '{"a":{"1":1.0,"x":2}}', '{"":{"b":1.0}}', deep]) {
    const machine = JSON.parse(text) as Record<string, unknown>;
    assert.equal(attributesJson(machine, text), JSON.stringify(flattenAttributes(machine)), text);
  }
});
