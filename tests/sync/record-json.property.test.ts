import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { attributesJson, flattenAttributes } from "../../src/sync/attributes.js";
import { recordFormat, recordHeadBound, recordTail, recordTailBound, writeRecordHead, writeRecordTail, type RecordTail } from "../../src/sync/record-json.js";
import { defender365Source } from "../../src/probes/defender365/index.js";
import { JsonBytes } from "../../src/records/json-bytes.js";
import { edrState, osOf } from "../../src/probes/defender365/device.js";
import { parseHostname } from "../../src/correlate/index.js";
import type { Machine } from "../../src/probes/defender365/machine.js";
import type { MatchInfo } from "../../src/contract.js";

// FC_SEED=<seed> replays a failing run that fast-check reported.
const runs = { numRuns: 300, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

test("attributesJson is JSON.stringify(flattenAttributes(m)) for any JSON object, nested or flat", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (machine) => {
      assert.equal(attributesJson(machine), JSON.stringify(flattenAttributes(machine)));
    }),
    runs,
  );
});

/** Defender's record text. */
const FORMAT = recordFormat("defender365", "edr");

/** The tail of `machine`'s record, as a Defender run writes it. */
const tailOf = (
  machine: Machine,
  identifiers: { names: string[]; addresses: string[]; macs: string[] },
  attributes: string = attributesJson(machine),
): RecordTail => recordTail(defender365Source.describe(machine, machine.id), identifiers, attributes);

/** A record's line as this module writes it, head then tail, each checked against its bound; decoded. */
const recordLine = (sourceId: string, assetId: string | null, siteId: string | null, match: MatchInfo | null, tail: RecordTail): string => {
  const headBound = recordHeadBound(FORMAT, sourceId, assetId, siteId, match);
  const tailBound = recordTailBound(tail, FORMAT);
  const buffer = Buffer.alloc(headBound + tailBound);
  const out = new JsonBytes().moveTo(buffer, 0);
  writeRecordHead(out, FORMAT, sourceId, assetId, siteId, match);
  assert.ok(out.at <= headBound, "the head within its bound");
  const tailStart = out.at;
  writeRecordTail(out, tail, FORMAT);
  assert.ok(out.at - tailStart <= tailBound, "the tail within its bound");
  return buffer.toString("utf8", 0, out.at);
};

/** A record's tail as this module writes it (what the spool holds), decoded. */
const tailText = (tail: RecordTail): string => {
  const buffer = Buffer.alloc(recordTailBound(tail, FORMAT));
  const out = new JsonBytes().moveTo(buffer, 0);
  writeRecordTail(out, tail, FORMAT);
  return buffer.toString("utf8", 0, out.at);
};

test("the head and tail written are exactly JSON.stringify of the record object, key order included", () => {
  const machine = {
    id: "a1",
    computerDnsName: "Host-1.Corp.Example",
    osPlatform: "Windows11",
    version: "23H2",
    firstSeen: "2026-01-01T00:00:00Z",
    lastSeen: "2026-11-25T08:00:00.1234567Z",
    healthStatus: "Active",
    onboardingStatus: "Onboarded",
    vmMetadata: { vmId: "v", cloudProvider: "Azure", nested: { deep: 1 } },
    ipAddresses: [{ ipAddress: "10.0.0.5", macAddress: "00155D000001" }],
    machineTags: ["ünïcode", 'quote"'],
  } as unknown as Machine;
  const host = parseHostname("Host-1.Corp.Example");
  const identifiers = { names: [host?.fqdn ?? ""], macs: ["00:15:5d:00:00:01"], addresses: ["10.0.0.5"] };
  const match = { rule: "mac", keys: ["mac:00:15:5d:00:00:01"], live: true };
  const record = {
    source: "defender365",
    sourceId: "a1",
    assetId: "asset-7",
    siteId: null,
    match,
    names: [host?.fqdn],
    addresses: identifiers.addresses,
    macs: identifiers.macs,
    os: osOf(machine),
    firstSeen: machine.firstSeen,
    lastSeen: machine.lastSeen,
    controls: { edr: edrState(machine) },
    attributes: flattenAttributes(machine),
  };
  assert.equal(recordLine("a1", "asset-7", null, match, tailOf(machine, identifiers)), JSON.stringify(record));
  const correlationMatch = { deviceId: "a1", assetId: "asset-7", duplicates: ["a0"], ...match };
  assert.equal(recordLine("a1", "asset-7", null, correlationMatch, tailOf(machine, identifiers)), JSON.stringify(record), "only rule, keys and live");
});

test("attributes are the machine's JSON as received when flattening leaves it as it is, and serialised when it does not", () => {
  const identifiers = { names: [], macs: [], addresses: [] };
  const flat = { id: "a1", healthStatus: "Active", onboardingStatus: "Onboarded", vmMetadata: null } as unknown as Machine;
  const asSent = '{ "id" : "a1", "healthStatus":"Active","onboardingStatus":"Onboarded","vmMetadata":null}';
  assert.ok(tailText(tailOf(flat, identifiers, attributesJson(flat, asSent))).endsWith(`"attributes":${asSent}}`));
  const nested = { ...flat, vmMetadata: { vmId: "v" } } as unknown as Machine;
  assert.ok(
    tailText(tailOf(nested, identifiers, attributesJson(nested, JSON.stringify(nested)))).endsWith(
      `"attributes":${JSON.stringify(flattenAttributes(nested))}}`,
    ),
  );
  const dropsAKey = JSON.parse('{"id":"a1","healthStatus":"Active","onboardingStatus":"Onboarded","__proto__":1}') as Machine;
  assert.ok(
    tailText(tailOf(dropsAKey, identifiers, attributesJson(dropsAKey, '{"x":1}'))).endsWith(`"attributes":${JSON.stringify(flattenAttributes(dropsAKey))}}`),
  );
});

test("the head and tail written are JSON.stringify of the record for any strings in its fields", () => {
  const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom('a"b', "c\\d", "line\nbreak", "ünï", "\ud800"));
  fc.assert(
    fc.property(
      fc.record({
        id: text,
        asset: fc.option(text),
        site: fc.option(text),
        names: fc.array(text, { maxLength: 2 }),
        addresses: fc.array(text, { maxLength: 2 }),
        macs: fc.array(text, { maxLength: 2 }),
      }),
      fc.record({
        osPlatform: fc.option(text),
        version: fc.option(text),
        firstSeen: fc.option(text),
        lastSeen: fc.option(text),
        healthStatus: text,
        onboardingStatus: text,
      }),
      fc.option(fc.record({ rule: text, keys: fc.array(text, { maxLength: 3 }), live: fc.boolean() })),
      (r, fields, match) => {
        const machine = { id: r.id, ...fields } as unknown as Machine;
        const identifiers = { names: r.names, addresses: r.addresses, macs: r.macs };
        const record = {
          source: "defender365",
          sourceId: r.id,
          assetId: r.asset,
          siteId: r.site,
          match,
          names: r.names,
          addresses: r.addresses,
          macs: r.macs,
          os: osOf(machine),
          firstSeen: fields.firstSeen,
          lastSeen: fields.lastSeen,
          controls: { edr: edrState(machine) },
          attributes: flattenAttributes(machine),
        };
        assert.equal(recordLine(r.id, r.asset, r.site, match as MatchInfo | null, tailOf(machine, identifiers)), JSON.stringify(record));
      },
    ),
    runs,
  );
});

test("osOf joins the platform and the version with a space, leaving out empty parts and `Other`, else the platform as sent", () => {
  /** The rule written as a filter and a join (how it read before it was written out). */
  const reference = (m: { osPlatform?: string | null; version?: string | null }): string | null => {
    const parts = [m.osPlatform, m.version].filter((p): p is string => typeof p === "string" && p.length > 0 && p !== "Other");
    return parts.length > 0 ? parts.join(" ") : (m.osPlatform ?? null);
  };
  const part = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.constantFrom("", "Other", "Windows11", "23H2", "Linux"));
  fc.assert(
    fc.property(part, part, (osPlatform, version) => {
      const m = { osPlatform, version } as unknown as Machine;
      assert.equal(osOf(m), reference(m));
    }),
    runs,
  );
  assert.equal(osOf({ osPlatform: "Windows11", version: "23H2" } as unknown as Machine), "Windows11 23H2");
  assert.equal(osOf({ osPlatform: "Other", version: null } as unknown as Machine), "Other");
  assert.equal(osOf({ osPlatform: "Other", version: "1.0" } as unknown as Machine), "1.0");
});
