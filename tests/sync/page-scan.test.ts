/**
 * scanPage splits a page body into its items without parsing them: each item's text exactly
 * as `JSON.parse` read it, its id, and the items' array's place; nothing where it cannot follow.
 * The properties hold for Defender's layout and Falcon's.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { scanPage, withoutItems, type PageLayout, type PageScan } from "../../src/sync/page-scan.js";
import { generateTenant } from "../../src/simulator/index.js";

/** Defender's machine pages, and Falcon's combined host pages. */
const DEFENDER: PageLayout = { items: "value", id: "id" };
const FALCON: PageLayout = { items: "resources", id: "device_id" };

/** Any JSON object, keys and strings with quotes, backslashes, brackets and the words of both layouts included. */
const jsonObject = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom("value", "id", "resources", "device_id", "d", "i", '"', "\\", "[", "}")),
  fc.jsonValue(),
  {
    maxKeys: 6,
    noNullPrototype: true,
  },
);

/** What JSON.parse makes of the body, read through the scan: the envelope without the items, and each item. */
const throughScan = (body: string, scan: PageScan): { envelope: unknown; items: unknown[] } => ({
  envelope: JSON.parse(withoutItems(body, scan)),
  items: scan.texts.map((text) => JSON.parse(text) as unknown),
});

/** `value` as JSON reads it back (`-0` becomes `0`): what the scan's result is compared with. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

for (const layout of [DEFENDER, FALCON]) {
  describe(`scanPage, items in "${layout.items}", ids in "${layout.id}"`, () => {
    it("gives each item's own JSON and id, and the envelope without the items, for any compact page", () => {
      fc.assert(
        fc.property(fc.array(jsonObject, { maxLength: 8 }), jsonObject, (items, other) => {
          const page = { "@odata.context": layout.items, before: [other, layout.items], [layout.items]: items, after: { [layout.items]: [1, 2] } };
          const body = JSON.stringify(page);
          const scan = scanPage(body, layout);
          assert.ok(scan !== undefined);
          assert.deepEqual(
            scan.texts,
            items.map((item) => JSON.stringify(item)),
          );
          assert.deepEqual(
            scan.broken,
            items.map(() => false),
          );
          assert.deepEqual(
            scan.ids,
            items.map((item) => (typeof item[layout.id] === "string" ? item[layout.id] : undefined)),
          );
          assert.deepEqual(throughScan(body, scan), asJson({ envelope: { ...page, [layout.items]: [] }, items }));
        }),
      );
    });

    it("reads every layout JSON allows: blanks and line breaks between tokens, the items' array anywhere", () => {
      fc.assert(
        fc.property(fc.array(jsonObject, { maxLength: 5 }), fc.constantFrom(0, 1, 2, "\t"), (items, indent) => {
          const page = { [layout.items]: items, "@odata.nextLink": "next" };
          const body = JSON.stringify(page, null, indent);
          const scan = scanPage(body, layout);
          assert.ok(scan !== undefined);
          assert.deepEqual(throughScan(body, scan), asJson({ envelope: { ...page, [layout.items]: [] }, items }));
        }),
      );
    });

    it("reads the items' and id keys spelt with escapes as JSON.parse does, whichever spelling comes last", () => {
      /** `text` as a JSON string with each character in `\\uXXXX` form where `escape` says so. */
      const spelt = (text: string, escape: readonly boolean[]): string =>
        `"${[...text].map((c, i) => (escape[i] === true ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)).join("")}"`;
      const spellings = (word: string) => fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((escape) => spelt(word, escape));
      fc.assert(
        fc.property(
          fc.array(fc.tuple(spellings(layout.id), fc.string(), spellings(layout.id), fc.oneof(fc.string(), fc.integer())), { maxLength: 5 }),
          spellings(layout.items),
          fc.constantFrom("none", "before", "after"),
          (items, itemsKey, decoyAt) => {
            const texts = items.map(([k1, v1, k2, v2]) => `{${k1}:${JSON.stringify(v1)},"n":1,${k2}:${JSON.stringify(v2)}}`);
            const decoy = `"${layout.items}":[{"${layout.id}":"decoy"}]`;
            const members = [decoyAt === "before" ? decoy : "", `${itemsKey}:[${texts.join(",")}]`, decoyAt === "after" ? decoy : ""];
            const body = `{${members.filter((m) => m !== "").join(",")}}`;
            const parsed = (JSON.parse(body) as Record<string, Record<string, unknown>[]>)[layout.items] ?? [];
            const scan = scanPage(body, layout);
            assert.deepEqual(scan?.texts, decoyAt === "after" ? [`{"${layout.id}":"decoy"}`] : texts, "the items' array JSON.parse keeps: the last");
            assert.deepEqual(
              scan.ids,
              parsed.map((item) => (typeof item[layout.id] === "string" ? item[layout.id] : undefined)),
            );
          },
        ),
      );
    });

    it("never gives items JSON.parse would not: any body, repeated keys and a few characters changed included, reads as the scan says or fails", () => {
      /** `word` as a JSON key, some of its letters spelt as `\u` escapes. */
      const spelling = (word: string) =>
        fc
          .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
          .map((escape) => `"${[...word].map((c, i) => (escape[i] === true ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)).join("")}"`);
      const blank = fc.constantFrom("", "", " ", "\n", "\r\n\t");
      const itemsArray = fc
        .tuple(fc.array(jsonObject, { maxLength: 3 }), blank)
        .map(([items, b]) => `[${b}${items.map((item) => JSON.stringify(item)).join(`,${b}`)}${b}]`);
      const value = fc.oneof(
        itemsArray,
        itemsArray,
        fc.constantFrom("null", "1", '"x"', `"${layout.items}"`, "{}", `{"${layout.items}":[{"${layout.id}":"n"}]}`),
        jsonObject.map((o) => JSON.stringify(o)),
      );
      const key = fc.oneof(spelling(layout.items), spelling(layout.items), fc.constantFrom('"@odata.nextLink"', '"meta"', `"${layout.id}"`));
      const object = fc
        .tuple(fc.array(fc.tuple(key, value), { maxLength: 4 }), blank)
        .map(([members, b]) => `${b}{${members.map(([k, v]) => `${k}${b}:${v}`).join(`,${b}`)}}${b}`);
      const array = fc.tuple(key, value).map(([k, v]) => `[${k},${v}]`); // a top-level array holding the key as a string
      const body = fc.oneof(object, object, object, array);
      /** A character deleted, inserted or replaced, a closing bracket swapped for the other kind, or the body cut short. */
      const edit = fc.tuple(
        fc.nat(),
        fc.constantFrom("delete", "insert", "replace", "swap", "cut"),
        fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", " ", "x", "1"),
      );
      const applied = (text: string, [position, kind, char]: [number, string, string]): string => {
        const at = position % (text.length + 1);
        if (kind === "delete") return text.slice(0, at) + text.slice(at + 1);
        if (kind === "insert") return text.slice(0, at) + char + text.slice(at);
        if (kind === "replace") return text.slice(0, at) + char + text.slice(at + 1);
        if (kind === "swap") {
          const closers = [...text.matchAll(/[\]}]/g)].map((match) => match.index);
          const swapped = closers[position % Math.max(1, closers.length)];
          return swapped === undefined ? text : text.slice(0, swapped) + (text[swapped] === "]" ? "}" : "]") + text.slice(swapped + 1);
        }
        return text.slice(0, at);
      };
      const parsedOrUndefined = (text: string): { value: unknown } | undefined => {
        try {
          return { value: JSON.parse(text) as unknown };
        } catch {
          return undefined;
        }
      };
      fc.assert(
        fc.property(body, fc.array(edit, { maxLength: 3 }), (whole, edits) => {
          const text = edits.reduce(applied, whole);
          const scan = scanPage(text, layout);
          if (scan === undefined) return; // the caller parses the body whole
          const envelope = parsedOrUndefined(withoutItems(text, scan));
          const items = scan.texts.map(parsedOrUndefined);
          if (envelope === undefined || items.some((item) => item === undefined)) return; // the caller stops with a bad response
          const parsed = parsedOrUndefined(text);
          assert.ok(parsed !== undefined, `the scan read a body that is not JSON: ${text}`);
          const page = parsed.value as Record<string, unknown>;
          assert.ok(typeof page === "object" && page !== null && !Array.isArray(page), `the scan read a body that is not an object: ${text}`);
          const list = page[layout.items] as Record<string, unknown>[];
          assert.ok(Array.isArray(list), `the scan gave items where JSON.parse has none: ${text}`);
          assert.deepEqual(
            items.map((item) => item?.value),
            list,
          );
          assert.deepEqual(
            scan.ids,
            list.map((item) => (typeof item[layout.id] === "string" ? item[layout.id] : undefined)),
          );
          assert.deepEqual(envelope.value, { ...page, [layout.items]: [] });
          assert.deepEqual(
            scan.broken,
            scan.texts.map((t) => /[\r\n]/.test(t)),
          );
        }),
        { numRuns: 2000 },
      );
    });
  });
}

describe("scanPage", () => {
  it("marks an item that spans a line break (a record stays on one line), the others not", () => {
    const scan = scanPage('{"value":[{"id":"a"},{"id":\n"b"},\r\n{"id":"c"}]}\n', DEFENDER);
    assert.deepEqual(scan?.texts, ['{"id":"a"}', '{"id":\n"b"}', '{"id":"c"}']);
    assert.deepEqual(scan?.broken, [false, true, false]);
    assert.deepEqual(scan?.ids, ["a", "b", "c"]);
  });

  it("reads ids and strings with escapes to their real end; an id that is not a string is none", () => {
    const items = [
      { s: 'a"b', id: 'x\\"y\u00e9' },
      { u: '\\"}]', id: 7 },
      { id: "first", v: "\\\\", x: { id: "nested" } },
    ];
    const scan = scanPage(JSON.stringify({ value: items }), DEFENDER);
    assert.deepEqual(
      scan?.texts,
      items.map((item) => JSON.stringify(item)),
    );
    assert.deepEqual(scan?.ids, ['x\\"yé', undefined, "first"]);
    assert.deepEqual(scanPage('{"value":[{"id":"a","id":"b"},{"id":"c","id":null}]}', DEFENDER)?.ids, ["b", undefined], "the last id, as JSON.parse keeps it");
  });

  it("takes the last value array when the key repeats, as JSON.parse does", () => {
    const body = '{"value":[{"a":1}],"value":[{"b":2},{"c":3}]}';
    assert.equal((JSON.parse(body) as { value: unknown[] }).value.length, 2);
    assert.deepEqual(scanPage(body, DEFENDER)?.texts, ['{"b":2}', '{"c":3}']);
  });

  // A version that searched the body for backslashes (indexOf from a position) crawled once V8 optimised the scan, from
  // about the fourth page on: 60 s and more a page. Small pages never showed it. A crawl shows here as a test that does not end.
  it("scans a full 10,000-device page alike, over and over, once V8 has optimised it", () => {
    const tenant = generateTenant({ seed: 2, devices: 10_000 });
    const page = JSON.stringify({ "@odata.context": "x", value: Array.from({ length: 10_000 }, (_, i) => tenant.machineAt(i)) });
    const first = scanPage(page, DEFENDER);
    assert.equal(first?.texts.length, 10_000);
    for (let round = 0; round < 12; round++) {
      const again = scanPage(Buffer.from(page).toString(), DEFENDER); // a new string each time, as each page is
      assert.deepEqual(again?.ids, first?.ids);
      assert.equal(again?.itemsEnd, first?.itemsEnd);
    }
  });

  it("gives nothing where it cannot follow: an item not an object, a missing or extra comma, a bad escape in a key or an id, unbalanced brackets", () => {
    for (const body of [
      '{"value":[{"a":1},"x"]}',
      '{"value":[{"a":1},[2]]}',
      '{"value":[{"a":1},null]}',
      '{"value":[{"a":1} {"b":2}]}',
      '{"value":[{"a":1},,{"b":2}]}',
      '{"value":[{"a":1},]}',
      '{"value":[,{"a":1}]}',
      '{"\\u0076alu\\x":[{"a":1}]}',
      '{"value":[{"\\i":1}]}',
      '{"value":[{"id":"a\\x"}]}',
      '{"value":[{"a":1}]',
      '{"value":[{"a":1}]}}',
      '{"value":[{"a":"1}]}',
    ]) {
      assert.equal(scanPage(body, DEFENDER), undefined, body);
    }
    assert.deepEqual(scanPage('{"value":[]}', DEFENDER)?.texts, [], "an empty page is fine");
  });

  it("gives nothing for brackets that do not match around the items, a body that is not one object, or the items' key given last to something else", () => {
    for (const body of [
      '{"value":[{"id":"a"}}}', // the items' `[` closed by `}`: JSON.parse fails
      '{"value":[{"id":"a"}},"@odata.nextLink":"x"}',
      '{"value":[{"id":"a"]]}', // an item's `{` closed by `]`
      '["value",[{"id":"a"}]]', // an array: it has no `value`
      '{"value":[{"id":"a"}]}{"value":[{"id":"b"}]}', // two values
      '{"value":[{"id":"a"}],"value":null}', // JSON.parse keeps the last: null
      '{"value":[{"id":"a"}],"value":{"id":"b"}}',
    ]) {
      assert.equal(scanPage(body, DEFENDER), undefined, body);
    }
    assert.deepEqual(scanPage('{"kind":"value","value":[{"id":"a"}],"note":"value"}', DEFENDER)?.ids, ["a"], "a value that reads as the key is not the key");
    assert.deepEqual(scanPage('{"value":null,"value":[{"id":"a"}]}', DEFENDER)?.ids, ["a"], "the last key's array");
  });
});
