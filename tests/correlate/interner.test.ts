import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashString, Interner } from "../../src/correlate/interner.js";

describe("Interner", () => {
  it("gives dense ids in first-seen order and the same id for a repeat", () => {
    const interner = new Interner();
    assert.equal(interner.intern("aa:bb:cc:dd:ee:ff"), 0);
    assert.equal(interner.intern("10.0.0.1"), 1);
    assert.equal(interner.intern("aa:bb:cc:dd:ee:ff"), 0);
    assert.equal(interner.intern(""), 2);
    assert.deepEqual(interner.keys, ["aa:bb:cc:dd:ee:ff", "10.0.0.1", ""]);
    assert.equal(interner.size, 3);
  });

  it("agrees with a Map over many keys, across every growth of the table", () => {
    const interner = new Interner();
    const reference = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const key = i % 3 === 0 ? `10.${(i >> 8) & 255}.${i & 255}.${i % 7}` : `host-${i % 20_011}.corp.example`;
      let expected = reference.get(key);
      if (expected === undefined) reference.set(key, (expected = reference.size));
      assert.equal(interner.intern(key), expected, key);
    }
    assert.deepEqual(interner.keys, [...reference.keys()]);
    for (const [key, id] of reference) assert.equal(interner.find(key), id);
    assert.equal(interner.find("absent.example"), -1);
  });

  it("keeps apart keys whose hashes collide", () => {
    // Two-character keys over a small alphabet: with 2^32 hash values a collision is unlikely,
    // so force slot collisions instead by interning more keys than the first table holds.
    const interner = new Interner();
    const keys: string[] = [];
    for (let a = 32; a < 127; a++) for (let b = 32; b < 127; b++) keys.push(String.fromCharCode(a, b));
    keys.forEach((key, i) => assert.equal(interner.intern(key), i));
    keys.forEach((key, i) => assert.equal(interner.intern(key), i));
  });

  it("throws once sealed, and keeps its keys", () => {
    const interner = new Interner();
    interner.intern("a");
    interner.seal();
    assert.throws(() => interner.intern("a"), /sealed/);
    assert.throws(() => interner.find("a"), /sealed/);
    assert.deepEqual(interner.keys, ["a"]);
  });

  it("drops its keys once released, and takes no more", () => {
    const interner = new Interner();
    interner.intern("a");
    interner.release();
    assert.deepEqual(interner.keys, []);
    assert.equal(interner.size, 0);
    assert.throws(() => interner.intern("a"), /sealed/);
  });
});

describe("hashString", () => {
  it("is a deterministic int32 that depends on every character", () => {
    assert.equal(hashString("00:15:5d:00:00:01"), hashString("00:15:5d:00:00:01"));
    assert.notEqual(hashString("00:15:5d:00:00:01"), hashString("00:15:5d:00:00:02"));
    assert.notEqual(hashString("ab"), hashString("ba"));
    assert.equal(hashString("x") | 0, hashString("x"));
  });
});
