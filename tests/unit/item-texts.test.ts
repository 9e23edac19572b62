/**
 * itemTexts slices each item of a page's `value` array out of the body: exactly the text that
 * `JSON.parse` read for that item, or nothing where it cannot be sure.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { itemTexts } from "../../src/probes/defender365/item-texts.js";

/** Any JSON object, keys and strings with quotes, backslashes, brackets and the word "value" included. */
const jsonObject = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("value", '"', "\\", "[", "}")), fc.jsonValue(), { maxKeys: 6 });

describe("itemTexts", () => {
  it("gives each item's own JSON for any compact page, whatever surrounds the value array", () => {
    fc.assert(
      fc.property(fc.array(jsonObject, { maxLength: 8 }), jsonObject, (items, other) => {
        const body = JSON.stringify({ "@odata.context": "value", before: [other, "value"], value: items, after: { value: [1, 2] } });
        assert.deepEqual(
          itemTexts(body, items.length),
          items.map((item) => JSON.stringify(item)),
        );
      }),
    );
  });

  it("keeps blanks between tokens (the text still parses to the item)", () => {
    const body = '{ "value" : [ { "id" : "a" , "n" : [ 1 , 2 ] } ,\t{"id":"b"} ] }';
    assert.deepEqual(itemTexts(body, 2), ['{ "id" : "a" , "n" : [ 1 , 2 ] }', '{"id":"b"}']);
  });

  it("gives no text for an item that spans a line break (a record stays on one line), the others still", () => {
    const body = '{"value":[{"id":"a"},{"id":\n"b"},\r\n{"id":"c"}]}\n';
    assert.deepEqual(itemTexts(body, 3), ['{"id":"a"}', undefined, '{"id":"c"}']);
    const pretty = JSON.stringify({ value: [{ id: "a" }, { id: "b" }] }, null, 2);
    assert.deepEqual(itemTexts(pretty, 2), [undefined, undefined]);
  });

  it("reads strings with escaped quotes and backslashes to their real end", () => {
    const items = [
      { s: 'a"b', t: "c\\" },
      { u: '\\"}]', v: "\\\\" },
    ];
    assert.deepEqual(
      itemTexts(JSON.stringify({ value: items }), 2),
      items.map((item) => JSON.stringify(item)),
    );
  });

  it("takes the last value array when the key repeats, as JSON.parse does", () => {
    const body = '{"value":[{"a":1}],"value":[{"b":2},{"c":3}]}';
    assert.equal((JSON.parse(body) as { value: unknown[] }).value.length, 2);
    assert.deepEqual(itemTexts(body, 2), ['{"b":2}', '{"c":3}']);
  });

  it("gives nothing when it cannot be sure: an item not an object, a count that differs, a key spelt with escapes", () => {
    assert.equal(itemTexts('{"value":[{"a":1},"x"]}', 2), undefined);
    assert.equal(itemTexts('{"value":[{"a":1},[2]]}', 2), undefined);
    assert.equal(itemTexts('{"value":[{"a":1},null]}', 2), undefined);
    assert.equal(itemTexts('{"value":[{"a":1}]}', 2), undefined);
    assert.equal(itemTexts('{"\\u0076alue":[{"a":1}]}', 1), undefined);
  });
});
