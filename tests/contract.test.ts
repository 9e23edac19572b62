/**
 * The contract suite: every probe this package ships keeps the probe contract, as an outside
 * author's probe is held to it (`checkProbe`), plus what the registry needs of it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultRegistry } from "../src/engine/registry.js";
import { checkProbe } from "../src/sdk/index.js";

/**
 * A credential each shipped probe accepts, for the cancelled run `checkProbe` makes (nothing
 * is sent: the run is cancelled before it starts). A probe added to the registry needs one here.
 */
const SAMPLE_CREDENTIALS: Readonly<Record<string, unknown>> = {
  defender365: {
    kind: "azure-client-secret",
    tenantId: "11111111-2222-3333-4444-555555555555",
    clientId: "66666666-7777-8888-9999-000000000000",
    clientSecret: "contract-suite-secret",
  },
  crowdstrike: {
    kind: "crowdstrike-api-client",
    clientId: "0123456789abcdef0123456789abcdef",
    clientSecret: "contract-suite-falcon-secret",
  },
};

for (const probe of defaultRegistry.list()) {
  test(`contract: ${probe.id} has a lowercase id, a title, credential kinds, toggles and documented options`, () => {
    assert.match(probe.id, /^[a-z0-9-]+$/);
    assert.ok(probe.title.length > 0);
    assert.ok(probe.toggles.probe && probe.toggles.credential);
    for (const spec of probe.credentialKinds) {
      assert.match(spec.kind, /^[a-z0-9]+(-[a-z0-9]+)+$/, "a kind is lowercase with dashes, prefixed by its source");
      assert.ok(spec.title.length > 0);
      assert.equal(spec.codec.decode({ kind: "surely-not-this-kind" })._tag, "Left", `${spec.kind}'s codec must refuse another kind`);
    }
    const defaults = probe.options.decode({});
    assert.equal(defaults._tag, "Right", "empty options must decode to the defaults");
    const unknown = probe.options.decode({ surelyNotAnOption: 1 });
    assert.equal(unknown._tag, "Left", "unknown option keys must be refused");
    assert.ok(Object.keys(probe.optionDocs).length > 0);
  });
}

for (const probe of defaultRegistry.list()) {
  test(`contract: ${probe.id} passes checkProbe (names, options, credential kinds, error codes, a cancelled run)`, async () => {
    assert.ok(Object.hasOwn(SAMPLE_CREDENTIALS, probe.id) || probe.credentialKinds.length === 0, `add a sample credential of ${probe.id} to this suite`);
    assert.deepEqual(await checkProbe(probe, { credential: SAMPLE_CREDENTIALS[probe.id] }), []);
  });
}
