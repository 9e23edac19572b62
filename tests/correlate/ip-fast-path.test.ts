/**
 * The hand-written IPv4 scanner in `ip.ts` must decide exactly as the ipaddr.js path: same
 * canonical text, same null. Checked on random dotted quads, their near misses and `::ffff:`
 * mapped forms.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseIp, parseIpWithIpaddr } from "../../src/correlate/ip.js";

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
