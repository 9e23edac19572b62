import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isIdentifyingMac, parseMac } from "../../src/correlate/index.js";
import { isMacSpelling, parseMacWithRegexes } from "../../src/correlate/mac.js";

const CANON = "00:0c:29:92:a6:4d";

describe("parseMac: every spelling prints one way", () => {
  const spellings: [string, string][] = [
    ["Defender's 12 uppercase hex digits", "000C2992A64D"],
    ["lowercase bare hex", "000c2992a64d"],
    ["colons, lowercase", "00:0c:29:92:a6:4d"],
    ["colons, uppercase", "00:0C:29:92:A6:4D"],
    ["Windows dashes", "00-0C-29-92-A6-4D"],
    ["Cisco dots", "000c.2992.a64d"],
    ["Cisco dots, uppercase", "000C.2992.A64D"],
    ["HP/Aruba halves", "000c29-92a64d"],
    ["macOS arp drops leading zeros", "0:c:29:92:a6:4d"],
    ["surrounding blanks", "  00:0c:29:92:a6:4d\t"],
  ];
  for (const [trap, raw] of spellings) it(`${trap}: ${JSON.stringify(raw)}`, () => assert.equal(parseMac(raw), CANON));
});

describe("parseMac: values that identify nothing", () => {
  const noise: [string, string | null | undefined][] = [
    ["null (Windows loopback, 2023+)", null],
    ["undefined", undefined],
    ["empty string (Windows loopback, 2022)", ""],
    ["all-zero (Linux loopback)", "000000000000"],
    ["all-zero with colons", "00:00:00:00:00:00"],
    ["broadcast", "FFFFFFFFFFFF"],
    ["IPv4 multicast", "01:00:5e:00:00:fb"],
    ["IPv6 multicast", "33:33:00:00:00:01"],
    ["any odd first octet is multicast", "03:00:00:00:00:01"],
    ["tunnel pseudo-MAC, Defender's 16 hex digits", "00000000000000E0"],
    ["tunnel pseudo-MAC, ipconfig spelling", "00-00-00-00-00-00-00-E0"],
    ["five groups", "00:0c:29:92:a6"],
    ["mixed separators", "00:0c-29:92:a6:4d"],
    ["13 hex digits", "000c2992a64d0"],
    ["not hex", "00:0g:29:92:a6:4d"],
    ["three-digit group", "000:c:29:92:a6:4d"],
    ["IPv4 text", "10.0.0.1"],
  ];
  for (const [trap, raw] of noise) it(`${trap}: ${JSON.stringify(raw)} → null`, () => assert.equal(parseMac(raw), null));
});

describe("parseMac: locally administered MACs are identifiers", () => {
  it("docker container MAC 02:42:ac:11:00:02", () => assert.equal(parseMac("02:42:AC:11:00:02"), "02:42:ac:11:00:02"));
  it("GCP VM MAC 42010A800FDB", () => assert.equal(parseMac("42010A800FDB"), "42:01:0a:80:0f:db"));
  it("isIdentifyingMac agrees with parseMac", () => {
    assert.equal(isIdentifyingMac("000C2992A64D"), true);
    assert.equal(isIdentifyingMac("00000000000000E0"), false);
  });
});

describe("parseMac properties", () => {
  it("never throws and is idempotent on any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom(null, undefined)), (raw) => {
        const once = parseMac(raw);
        assert.equal(parseMac(once), once);
        if (once !== null) assert.match(once, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("every spelling of the same six bytes gives the same key", () => {
    const spell = (bytes: number[], style: number, upper: boolean): string => {
      const hex = bytes.map((b) => b.toString(16).padStart(2, "0"));
      const all = hex.join("");
      const text =
        [
          all,
          hex.join(":"),
          hex.join("-"),
          `${all.slice(0, 4)}.${all.slice(4, 8)}.${all.slice(8)}`,
          `${all.slice(0, 6)}-${all.slice(6)}`,
          bytes.map((b) => b.toString(16)).join(":"),
        ][style] ?? all;
      return upper ? text.toUpperCase() : text;
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (bytes, s1, s2, upper) => {
          assert.equal(parseMac(spell(bytes, s1, upper)), parseMac(spell(bytes, s2, !upper)));
          const identifying = (bytes[0] ?? 0) % 2 === 0 && bytes.some((b) => b !== 0);
          assert.equal(parseMac(spell(bytes, s1, upper)) !== null, identifying);
        },
      ),
    );
  });
});

describe("parseMac's fast path for the common spellings decides as the regular expressions do", () => {
  it("on any string, and on twelve and seventeen characters of hex digits, separators and strays", () => {
    const hexish = fc.constantFrom(..."0123456789abcdefABCDEF:-.gG x".split(""));
    const sized = fc.oneof(fc.constant(12), fc.constant(17), fc.integer({ min: 10, max: 19 }));
    const macLike = sized.chain((n) => fc.array(hexish, { minLength: n, maxLength: n }).map((chars) => chars.join("")));
    const grouped = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), fc.constantFrom(":", "-"), fc.boolean())
      .map(([bytes, separator, upper]) => {
        const text = bytes.map((b) => b.toString(16).padStart(2, "0")).join(separator);
        return upper ? text.toUpperCase() : text;
      });
    const bare = fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
      .map((bytes) => bytes.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(""));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), macLike, grouped, bare, fc.constantFrom("000000000000", "00:00:00:00:00:00", "FF-FF-FF-FF-FF-FF", "01005E000001")),
        (raw) => {
          assert.equal(parseMac(raw), parseMacWithRegexes(raw), JSON.stringify(raw));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

it("isMacSpelling, the check on scanned assets' MACs: every text parseMac reads as a MAC, and the tunnel forms it reads as none", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-fA-F:.\- ]{0,24}$/), (text) => {
      if (parseMac(text) !== null) assert.ok(isMacSpelling(text), text);
    }),
  );
  for (const text of [
    "00:1a:2b:3c:4d:5e",
    "00-1A-2B-3C-4D-5E",
    "001a2b3c4d5e",
    "001a.2b3c.4d5e",
    "0:1a:2b:3c:4d:5e",
    "00000000000000E0",
    "00-00-00-00-00-00-00-E0",
    "ff:ff:ff:ff:ff:ff",
  ])
    assert.ok(isMacSpelling(text), text);
  for (const text of ["00:1a:2b:3c:4d", "00:1a:2b:3c:4d:5e:6f", "zz:1a:2b:3c:4d:5e", "00:1a-2b:3c:4d:5e", ""]) assert.ok(!isMacSpelling(text), text);
});
