import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseHostname } from "../../src/correlate/index.js";
import { parseHostnameWithRegexes } from "../../src/correlate/hostname.js";

describe("parseHostname: FQDN and short name", () => {
  const table: [string, string, string | null, string][] = [
    ["domain-joined FQDN", "fin-lt-0142.corp.contoso.com", "fin-lt-0142.corp.contoso.com", "fin-lt-0142"],
    ["mixed case", "VmExample", null, "vmexample"],
    ["trailing dot (absolute DNS name)", "PC01.Corp.Example.", "pc01.corp.example", "pc01"],
    ["cloud internal FQDN", "VM1.xxxx.bx.internal.cloudapp.net", "vm1.xxxx.bx.internal.cloudapp.net", "vm1"],
    ["short name with trailing dot", "pc01.", null, "pc01"],
    ["blanks around", "  web-01  ", null, "web-01"],
    ["underscore in a Windows computer name", "WEB_01", null, "web_01"],
    ["digits in labels", "host1.10net.example", "host1.10net.example", "host1"],
  ];
  for (const [trap, raw, fqdn, short] of table) it(`${trap}: ${JSON.stringify(raw)}`, () => assert.deepEqual(parseHostname(raw), { fqdn, short }));
});

describe("parseHostname: not host names", () => {
  const table: [string, string | null | undefined][] = [
    ["empty", ""],
    ["blank", "   "],
    ["a lone dot", "."],
    ["two trailing dots", "pc01.."],
    ["empty label", "a..b"],
    ["IPv4 literal", "10.0.0.5"],
    ["IPv6 literal", "fe80::1"],
    ["bare number", "12345"],
    ["numeric top-level label", "host.123"],
    ["localhost", "localhost"],
    ["localhost with a domain", "LOCALHOST.localdomain"],
    ["space inside", "pc 01"],
    ["NetBIOS domain prefix", "CORP\\PC01"],
    ["URL", "http://pc01"],
    ["non-ASCII", "pc-ü.example"],
    ["Kelvin sign that lowercases to k", "\u212Aiosk"],
    ["only hyphens", "---"],
    ["64-character label", `${"a".repeat(64)}.example`],
    ["null", null],
    ["undefined", undefined],
  ];
  for (const [trap, raw] of table) it(`${trap}: ${JSON.stringify(raw)} → null`, () => assert.equal(parseHostname(raw), null));
});

describe("parseHostname properties", () => {
  it("never throws and is idempotent on any string", () => {
    const hostish = fc.stringMatching(/^[a-zA-Z0-9._\- ]{0,40}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), hostish, fc.domain()), (raw) => {
        const once = parseHostname(raw);
        if (once === null) return;
        assert.deepEqual(parseHostname(once.fqdn ?? once.short), once);
        assert.equal(once.short, (once.fqdn ?? once.short).split(".")[0]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("parseHostname's one-pass parse decides as the regular expressions do", () => {
  it("on any string, host-like ones with dots, case, digits, blanks and label lengths near the limits", () => {
    const label = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9_-]{0,8}$/),
      fc.constantFrom("localhost", "LocalHost", "123", "0", "-", "_", "a".repeat(63), "b".repeat(64)),
    );
    const dotted = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 6 }), fc.constantFrom("", ".", "..", " ", "\t", "%"))
      .map(([labels, end]) => labels.join(".") + end);
    const long = fc.integer({ min: 240, max: 260 }).map((n) => `${"abcdefgh.".repeat(30)}`.slice(0, n));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), dotted, long, fc.domain()), (raw) => {
        assert.deepEqual(parseHostname(raw), parseHostnameWithRegexes(raw), JSON.stringify(raw));
      }),
      { numRuns: 20_000 },
    );
  });
});
