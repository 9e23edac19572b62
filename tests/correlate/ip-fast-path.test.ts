/**
 * The hand-written IPv4 and IPv6 scanners in `ip.ts` must decide exactly as the ipaddr.js path: same
 * canonical text, same null. Checked on random dotted quads, IPv6 spellings, their near misses and `::ffff:`
 * mapped forms.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isIpSpelling, parseIp, parseIpWithIpaddr } from "../../src/correlate/ip.js";

/** A part of a dotted quad: mostly valid octets, with leading zeros, out-of-range and odd values mixed in. */
const part = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom(
    "0",
    "127",
    "169",
    "254",
    "224",
    "239",
    "240",
    "255",
    "256",
    "999",
    "1000",
    "00",
    "01",
    "010",
    "007",
    "0x7f",
    "",
    " ",
    "-1",
    "+1",
    "1e2",
    "٣",
  ),
  fc.integer({ min: 0, max: 99_999 }).map(String),
);
const quad = fc
  .array(part, { minLength: 1, maxLength: 6 })
  .chain((parts) => fc.constantFrom(".", "..", ",", ". ").map((sep) => parts.join(parts.length === 4 ? "." : sep)));
const wrapped = fc
  .tuple(
    fc.constantFrom("", " ", "\t", "[", "::ffff:", "::FFFF:", "::fFfF:", "::ffff:0:", "0:0:0:0:0:ffff:", "::", "::fff:", ":ffff:", "[::ffff:"),
    quad,
    fc.constantFrom("", " ", "]", "%eth0", ".", ":", "%"),
  )
  .map(([a, b, c]) => a + b + c);

describe("parseIp fast path against ipaddr.js", () => {
  it("decides alike on every dotted quad and near miss", () => {
    fc.assert(
      fc.property(fc.oneof(quad, wrapped), (raw) => assert.equal(parseIp(raw), parseIpWithIpaddr(raw), JSON.stringify(raw))),
      { numRuns: 20_000 },
    );
  });

  it("decides alike on every IPv4 address spelled plainly and mapped", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom("", "::ffff:", "::FFFF:", "[", " "), (n, prefix) => {
        const raw = `${prefix}${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")}${prefix === "[" ? "]" : ""}`;
        assert.equal(parseIp(raw), parseIpWithIpaddr(raw), raw);
      }),
      { numRuns: 20_000 },
    );
  });

  it("decides alike on the edges of every excluded range", () => {
    const edges = [
      "0.0.0.0",
      "0.255.255.255",
      "1.0.0.0",
      "126.255.255.255",
      "127.0.0.0",
      "127.255.255.255",
      "128.0.0.0",
      "169.253.255.255",
      "169.254.0.0",
      "169.254.255.255",
      "169.255.0.0",
      "223.255.255.255",
      "224.0.0.0",
      "239.255.255.255",
      "240.0.0.0",
      "255.255.255.255",
      "255.255.255.256",
      "1.2.3.4.",
      ".1.2.3.4",
      "1.2.3",
      "1.2.3.4.5",
      "1..3.4",
      "01.2.3.4",
      "1.2.3.04",
    ];
    for (const edge of edges) for (const raw of [edge, `::ffff:${edge}`, `[${edge}]`, ` ${edge} `]) assert.equal(parseIp(raw), parseIpWithIpaddr(raw), raw);
  });
});

/** Eight IPv6 groups, zeros common (so that every shape of `::` run occurs), with the values of the excluded ranges mixed in. */
const ipv6Groups = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
    { weight: 2, arbitrary: fc.constantFrom(1, 0xffff, 0xfe80, 0xfebf, 0xfec0, 0xff00, 0xff02, 0x2001, 0x5efe, 0x200, 0x0202, 0xfd00, 0x64, 0xff9b) },
  ),
  { minLength: 8, maxLength: 8 },
);

/** The groups spelt as a system might: any zero run compressed (or none), leading zeros or not, any case. */
const ipv6Spelling = fc
  .tuple(ipv6Groups, fc.integer({ min: -1, max: 7 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.boolean())
  .map(([values, gapAt, gapLength, padded, upper]) => {
    const texts = values.map((v) => (padded ? v.toString(16).padStart(4, "0") : v.toString(16)));
    const end = Math.min(8, gapAt + gapLength);
    const compressible = gapAt >= 0 && values.slice(gapAt, end).every((v) => v === 0);
    const text = compressible ? `${texts.slice(0, gapAt).join(":")}::${texts.slice(end).join(":")}` : texts.join(":");
    return upper ? text.toUpperCase() : text;
  });

/** Near misses: a spelling cut, doubled, or with a stray character. */
const ipv6NearMiss = fc
  .tuple(ipv6Spelling, fc.nat(), fc.constantFrom(":", "::", "0", "00000", "g", ".", "%", "%eth0", " ", "1.2.3.4", ":ffff:"))
  .map(([text, at, extra]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + extra + text.slice(i);
  });

describe("parseIp IPv6 fast path against ipaddr.js", () => {
  it("decides alike on IPv6 addresses in every plain spelling", () => {
    fc.assert(
      fc.property(ipv6Spelling, (raw) => assert.equal(parseIp(raw), parseIpWithIpaddr(raw), raw)),
      { numRuns: 20_000 },
    );
  });

  it("decides alike on near misses of those spellings", () => {
    fc.assert(
      fc.property(ipv6NearMiss, (raw) => assert.equal(parseIp(raw), parseIpWithIpaddr(raw), JSON.stringify(raw))),
      { numRuns: 20_000 },
    );
  });

  it("decides alike on the edges of the excluded IPv6 ranges and on compression ties", () => {
    const edges = [
      "::",
      "::1",
      "::2",
      "0::0",
      "::0:1",
      "1::",
      "fe7f:ffff::1",
      "fe80::1",
      "febf::1",
      "fec0::1",
      "feff::1",
      "ff00::1",
      "2001::1",
      "2001:0:1::1",
      "2001:1::1",
      "2001:db8::1",
      "2001:db8::5efe:a0f:9",
      "2001:db8::200:5efe:a0f:9",
      "2001:db8::300:5efe:a0f:9",
      "::ffff:a00:5",
      "::ffff:0:a00:5",
      "64:ff9b::a00:5",
      "0:0:1:0:0:1:1:1",
      "1:0:0:1:0:0:1:1",
      "1:0:0:1:1:0:0:0",
      "0:0:1:1:1:1:0:0",
      "1:0:1:1:1:1:1:1",
      "1:2:3:4:5:6:7::",
      "::2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8::",
      "::1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "00001::1",
      "2001:DB8::ABCD",
      "2001:0db8:0000:0000:0000:0000:0000:0001",
    ];
    for (const edge of edges) for (const raw of [edge, `[${edge}]`, ` ${edge} `]) assert.equal(parseIp(raw), parseIpWithIpaddr(raw), raw);
  });
});

describe("isIpSpelling, the check on scanned assets' addresses", () => {
  it("accepts every text parseIp reads as an address, and refuses a prefix length, a port, leading zeros, an octet over 255", () => {
    fc.assert(
      fc.property(fc.oneof(quad, wrapped, ipv6Spelling, ipv6NearMiss), (text) => {
        if (parseIp(text) !== null) assert.ok(isIpSpelling(text), text);
      }),
    );
    for (const text of ["10.0.0.7", " 10.0.0.7 ", "127.0.0.1", "fe80::1%eth0", "[fd00::7]", "::ffff:10.0.0.7"]) assert.ok(isIpSpelling(text), text);
    for (const text of ["10.0.0.7/24", "10.0.0.7:443", "010.000.000.001", "999.1.1.1", "fd00::7/64", "host.example", ""]) assert.ok(!isIpSpelling(text), text);
  });
});
