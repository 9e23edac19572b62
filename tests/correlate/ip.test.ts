import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isIdentifyingIp, parseIp } from "../../src/correlate/index.js";

describe("parseIp: canonical printing", () => {
  const table: [string, string, string][] = [
    ["IPv4", "10.20.31.45", "10.20.31.45"],
    ["IPv4 with blanks", " 10.20.31.45 ", "10.20.31.45"],
    ["IPv6 full form", "2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"],
    ["IPv6 uppercase", "2001:DB8::FF00:42:8329", "2001:db8::ff00:42:8329"],
    ["IPv6 zeros spelled out", "2001:db8:0:0:0:0:0:1", "2001:db8::1"],
    ["IPv6 compressing the longest zero run (RFC 5952)", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["IPv6 one zero group is not compressed (RFC 5952)", "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["IPv4-mapped IPv6, dotted", "::ffff:10.0.0.5", "10.0.0.5"],
    ["IPv4-mapped IPv6, hex", "::FFFF:0a00:0005", "10.0.0.5"],
    ["IPv4-mapped IPv6, long form", "0:0:0:0:0:ffff:10.0.0.5", "10.0.0.5"],
    ["zone id dropped", "2001:db8::1%eth0", "2001:db8::1"],
    ["numeric zone id dropped", "2001:db8::1%12", "2001:db8::1"],
    ["brackets", "[2001:db8::1]", "2001:db8::1"],
    ["unique local IPv6 identifies", "fd12:3456:789a::1", "fd12:3456:789a::1"],
    ["Docker bridge parses (sharing is correlation's call)", "172.17.0.1", "172.17.0.1"],
  ];
  for (const [trap, raw, canon] of table) it(`${trap}: ${JSON.stringify(raw)} → ${canon}`, () => assert.equal(parseIp(raw), canon));
});

describe("parseIp: addresses that identify nothing", () => {
  const noise: [string, string | null | undefined][] = [
    ["IPv4 loopback", "127.0.0.1"],
    ["IPv4 loopback, other host part", "127.1.2.3"],
    ["IPv6 loopback", "::1"],
    ["IPv4-mapped loopback", "::ffff:127.0.0.1"],
    ["APIPA on a down adapter", "169.254.12.77"],
    ["IPv6 link-local", "fe80::9c41:2e7a:51bd:f3c"],
    ["IPv6 link-local with zone", "fe80::1%12"],
    ["fe80::/10 upper edge", "febf::1"],
    ["ISATAP under fe80 (Defender)", "fe80::5efe:10.15.0.9"],
    ["ISATAP under a global prefix", "2001:db8::5efe:10.0.0.1"],
    ["ISATAP, globally unique variant", "2001:db8::200:5efe:192.0.2.1"],
    ["Teredo tunnel", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    ["unspecified IPv4", "0.0.0.0"],
    ["this-network IPv4", "0.1.2.3"],
    ["unspecified IPv6", "::"],
    ["broadcast", "255.255.255.255"],
    ["class E", "240.0.0.1"],
    ["IPv4 multicast (mDNS)", "224.0.0.251"],
    ["IPv6 multicast", "ff02::1"],
    ["IPv4 with leading zeros (octal to some readers)", "010.0.0.1"],
    ["IPv4 mapped with leading zeros", "::ffff:010.0.0.1"],
    ["IPv4 short form", "10.1"],
    ["IPv4 hex form", "0x7f.0.0.1"],
    ["CIDR, not a host", "10.0.0.0/24"],
    ["empty zone id", "2001:db8::1%"],
    ["two double colons", "1::2::3"],
    ["nine groups", "1:2:3:4:5:6:7:8:9"],
    ["host name", "pc01.corp.example"],
    ["empty", ""],
    ["null", null],
    ["undefined", undefined],
  ];
  for (const [trap, raw] of noise) it(`${trap}: ${JSON.stringify(raw)} → null`, () => assert.equal(parseIp(raw), null));
  it("isIdentifyingIp agrees with parseIp", () => {
    assert.equal(isIdentifyingIp("10.0.0.5"), true);
    assert.equal(isIdentifyingIp("fe80::1"), false);
  });
});

describe("parseIp properties", () => {
  it("never throws and is idempotent on any string", () => {
    const ipish = fc.stringMatching(/^[0-9a-fA-F:.%[\] ]{0,45}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), ipish, fc.constantFrom(null, undefined)), (raw) => {
        const once = parseIp(raw);
        assert.equal(parseIp(once), once);
      }),
      { numRuns: 3000 },
    );
  });

  it("is idempotent on every generated IPv4 and IPv6 address", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (raw) => {
        const once = parseIp(raw);
        assert.equal(parseIp(once), once);
      }),
      { numRuns: 3000 },
    );
  });

  it("an IPv6 address and its uncompressed uppercase spelling give the same key", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16).padStart(4, "0").toUpperCase()).join(":");
        const short = groups.map((g) => g.toString(16)).join(":");
        assert.equal(parseIp(full), parseIp(short));
      }),
    );
  });
});
