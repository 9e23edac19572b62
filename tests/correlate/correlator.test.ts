/**
 * The incremental correlator: devices fed in any order and any page split give the result of
 * the one-shot `correlate`; `addDevice` returns the record's canonical MACs and IPs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { correlate, createCorrelator, createCorrelatorPausing, type AssetEvidence, type SourceDevice } from "../../src/correlate/index.js";
import { evidenceOf } from "../../src/correlate/evidence.js";
import { asset, device, plain } from "./builders.js";

const MACS = ["000C2992A64D", "00:0c:29:92:a6:4d", "3C2AF4B81E07", "00FF7A3B9C01", "00059A3C7A00", "000000000000"];
const IPS = ["10.0.0.1", "10.0.0.2", "::ffff:10.0.0.2", "2001:db8::1", "172.17.0.1", "127.0.0.1"];
const NAMES = ["pc01.a.example", "PC01.A.EXAMPLE.", "pc01.b.example", "pc01", "pc02.a.example", "ubuntu"];
const TIMES = [null, "2024-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2025-06-01T00:00:00.000Z"];
const OSES = [null, "Windows11", "Ubuntu"];

const subset = <T>(pool: readonly T[]) => fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 2 });

/** Devices with distinct ids (records sharing an id are merged; see the last test). */
const devicesArb = fc.integer({ min: 0, max: 10 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        id: fc.constant(`d${i}`),
        names: subset(NAMES),
        macs: subset(MACS),
        addresses: subset(IPS),
        lastSeen: fc.constantFrom(...TIMES),
        mergedIntoId: fc.option(fc.constantFrom(...Array.from({ length: n + 1 }, (_, j) => `d${j}`)), { freq: 4 }),
        potentialDuplicate: fc.boolean(),
        os: fc.constantFrom(...OSES),
      }),
    ),
  ),
) as fc.Arbitrary<SourceDevice[]>;

const assetsArb = fc
  .array(fc.record({ names: subset(NAMES), macs: subset(MACS), addresses: subset(IPS), os: fc.constantFrom(...OSES) }), { maxLength: 8 })
  .map((list) => list.map((a, i): AssetEvidence => ({ id: `a${i}`, ...a })));

/** `items` cut into consecutive pages at the given (sorted, deduplicated) cut points. */
function pages<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const result: T[][] = [];
  let from = 0;
  for (const point of [...points, items.length]) {
    result.push(items.slice(from, point));
    from = point;
  }
  return result;
}

const runs = { numRuns: 300, ...(process.env["FC_SEED"] ? { seed: Number(process.env["FC_SEED"]) } : {}) };

describe("createCorrelator", () => {
  it("any order and any page split of the devices gives the one-shot result", () => {
    fc.assert(
      fc.property(
        devicesArb.chain((d) => fc.tuple(fc.constant(d), fc.shuffledSubarray(d, { minLength: d.length }), fc.array(fc.nat(), { maxLength: 4 }))),
        assetsArb,
        ([devices, shuffled, cuts], assets) => {
          const correlator = createCorrelator(assets);
          for (const page of pages(shuffled, cuts)) for (const d of page) correlator.addDevice(d);
          assert.deepEqual(plain(correlator.finish()), plain(correlate(devices, assets)));
        },
      ),
      runs,
    );
  });

  it("indexing the assets in slices with pauses between them gives the same correlator", async () => {
    await fc.assert(
      fc.asyncProperty(devicesArb, assetsArb, fc.integer({ min: 1, max: 4 }), async (devices, assets, perSlice) => {
        let pauses = 0;
        const correlator = await createCorrelatorPausing(assets, async () => void (pauses += 1), perSlice);
        for (const d of devices) correlator.addDevice(d);
        assert.deepEqual(plain(correlator.finish()), plain(correlate(devices, assets)));
        assert.equal(pauses, Math.ceil(assets.length / perSlice) + 1);
      }),
      runs,
    );
  });

  it("finishPausing decides as finish does, pausing between the decision's steps", async () => {
    await fc.assert(
      fc.asyncProperty(devicesArb, assetsArb, async (devices, assets) => {
        const correlator = createCorrelator(assets);
        for (const d of devices) correlator.addDevice(d);
        let pauses = 0;
        const result = await correlator.finishPausing(async () => void (pauses += 1));
        assert.deepEqual(plain(result), plain(correlate(devices, assets)));
        assert.ok(pauses >= 5, `${pauses} pauses`);
        assert.throws(() => correlator.finish(), /already called/);
      }),
      runs,
    );
  });

  it("finishPausing stops at a pause that rejects", async () => {
    const correlator = createCorrelator([]);
    const stop = new Error("aborted");
    await assert.rejects(
      correlator.finishPausing(() => Promise.reject(stop)),
      (e) => e === stop,
    );
    await assert.rejects(
      correlator.finishPausing(() => Promise.resolve()),
      /already called/,
    );
  });

  it("a pause that rejects stops the indexing with its error", async () => {
    const assets = Array.from({ length: 10 }, (_, i): AssetEvidence => ({ id: `a${i}`, names: [`pc${i}`], macs: [], addresses: [] }));
    let pauses = 0;
    const stop = new Error("aborted");
    const pause = async () => {
      pauses += 1;
      if (pauses === 3) throw stop;
    };
    await assert.rejects(createCorrelatorPausing(assets, pause, 2), (e) => e === stop);
    assert.equal(pauses, 3);
  });

  it("addDevice returns the record's printed names and canonical MACs and IPs, in input order, noise and repeats dropped", () => {
    fc.assert(
      fc.property(devicesArb, assetsArb, (devices, assets) => {
        const correlator = createCorrelator(assets);
        for (const d of devices) {
          const evidence = evidenceOf(d.names, d.macs, d.addresses, d.os);
          assert.deepEqual(correlator.addDevice(d), { names: evidence.names, macs: evidence.macs, addresses: evidence.ips });
        }
      }),
      runs,
    );
  });

  it("addDevice prints each usable name once: the FQDN lowercased without its trailing dot, else the short name", () => {
    const correlator = createCorrelator([]);
    const names = ["PC01.Corp.Example.", "pc01.corp.example", "PC02", "10.0.0.1", "localhost"];
    assert.deepEqual(correlator.addDevice(device("d1", { names })).names, ["pc01.corp.example", "pc02"]);
  });

  it("returns one string instance per canonical value, shared by every record that carries it", () => {
    const correlator = createCorrelator([asset("a1", { macs: ["00:0c:29:92:a6:4d"] })]);
    const first = correlator.addDevice(device("d1", { macs: ["000C2992A64D"], addresses: ["10.0.0.1"] }));
    const second = correlator.addDevice(device("d2", { macs: ["000c.2992.a64d"], addresses: ["::ffff:10.0.0.1"] }));
    assert.deepEqual(second, { names: [], macs: ["00:0c:29:92:a6:4d"], addresses: ["10.0.0.1"] });
    assert.equal(first.macs[0], second.macs[0]);
  });

  it("merges records that share an id whichever comes first (identifiers united, newest lastSeen, smallest mergedIntoId)", () => {
    const older = device("d1", { names: ["pc01.a.example"], macs: ["000C2992A64D"], lastSeen: "2025-01-01T00:00:00Z", mergedIntoId: "z" });
    const newer = device("d1", { addresses: ["10.0.0.1"], lastSeen: "2025-06-01T00:00:00Z", mergedIntoId: "m", potentialDuplicate: true });
    const assets = [asset("a1", { addresses: ["10.0.0.1"], names: ["pc01.a.example"] })];
    const forward = createCorrelator(assets);
    forward.addDevice(older);
    forward.addDevice(newer);
    const backward = createCorrelator(assets);
    backward.addDevice(newer);
    backward.addDevice(older);
    const result = plain(forward.finish());
    assert.deepEqual(plain(backward.finish()), result);
    assert.equal(result.summary.devices, 1);
    assert.equal(result.byDevice[0]?.[1].rule, "name+ip");
  });

  it("is spent after finish: further calls throw", () => {
    const correlator = createCorrelator([]);
    correlator.finish();
    assert.throws(() => correlator.addDevice(device("d1")), /finish/);
    assert.throws(() => correlator.finish(), /finish/);
  });
});
