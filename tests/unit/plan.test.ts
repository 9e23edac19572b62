import { test } from "node:test";
import assert from "node:assert/strict";
import { planProbeRuns } from "../../src/engine/plan.js";
import { createRegistry, defaultRegistry } from "../../src/registry.js";
import { defender365 } from "../../src/probes/defender365/index.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "66666666-7777-8888-9999-000000000000";
const SECRET = "plan-test-secret-value";
const azure = (extra: Record<string, unknown> = {}) => ({
  id: "azure-prod",
  kind: "azure-client-secret",
  tenantId: TENANT,
  clientId: CLIENT,
  clientSecret: SECRET,
  MS365Defender: true,
  ...extra,
});

test("toggle on and an enabled credential give one run with decoded options", () => {
  const plan = planProbeRuns(
    { siteId: "site-1", probes: { Defender365: { enabled: true, options: { includeInactive: true } } }, credentials: [azure()] },
    defaultRegistry,
    "probe",
  );
  assert.equal(plan._tag, "Right");
  if (plan._tag !== "Right") return;
  assert.equal(plan.right.runs.length, 1);
  const run = plan.right.runs[0];
  assert.equal(run?.probe.id, "defender365");
  assert.equal(run?.credentialId, "azure-prod");
  assert.equal(run?.scanSiteId, "site-1");
  assert.equal((run?.options as { includeInactive: boolean }).includeInactive, true);
});

test("toggle off: skipped, with the reason", () => {
  const plan = planProbeRuns({ probes: { Defender365: { enabled: false } }, credentials: [azure()] }, defaultRegistry, "probe");
  assert.equal(plan._tag, "Right");
  if (plan._tag !== "Right") return;
  assert.equal(plan.right.runs.length, 0);
  assert.match(plan.right.skipped[0]?.reason ?? "", /off for this task/);
});

test("no credential enabled for the probe: skipped, naming the toggle to turn on", () => {
  const plan = planProbeRuns({ probes: { Defender365: { enabled: true } }, credentials: [azure({ MS365Defender: false })] }, defaultRegistry, "probe");
  assert.equal(plan._tag, "Right");
  if (plan._tag === "Right") assert.match(plan.right.skipped[0]?.reason ?? "", /MS365Defender/);
});

test("a credential kind the probe does not accept is refused by field", () => {
  const plan = planProbeRuns(
    { probes: { Defender365: { enabled: true } }, credentials: [{ id: "ssh", kind: "ssh-key", MS365Defender: true }] },
    defaultRegistry,
    "probe",
  );
  assert.equal(plan._tag, "Left");
  if (plan._tag === "Left") assert.equal(plan.left.issues[0]?.field, "credentials[0].kind");
});

test("bad options and a bad credential are all named, before any network call, without the secret", () => {
  const plan = planProbeRuns(
    { probes: { Defender365: { enabled: true, options: { pageSize: 0, colour: "red" } } }, credentials: [azure({ clientId: "nope" })] },
    defaultRegistry,
    "connector",
  );
  assert.equal(plan._tag, "Left");
  if (plan._tag !== "Left") return;
  const fields = plan.left.issues.map((i) => i.field);
  assert.ok(fields.includes("probes.Defender365.options.colour"), fields.join());
  assert.ok(fields.includes("credentials[0].clientId"), fields.join());
  assert.ok(!JSON.stringify(plan.left).includes(SECRET));
});

test("one run per enabled credential (several tenants)", () => {
  const plan = planProbeRuns({ probes: { Defender365: { enabled: true } }, credentials: [azure(), azure({ id: "azure-eu" })] }, defaultRegistry, "connector");
  assert.equal(plan._tag, "Right");
  if (plan._tag === "Right")
    assert.deepEqual(
      plan.right.runs.map((r) => r.credentialId),
      ["azure-prod", "azure-eu"],
    );
});

test("the registry refuses a duplicate id", () => {
  assert.throws(() => createRegistry([defender365, defender365]), /share the id "defender365"/);
});

// The contract suite: every registered probe follows the conventions.
for (const probe of defaultRegistry.list()) {
  test(`contract: ${probe.id} has a lowercase id, a title, credential kinds, toggles and documented options`, () => {
    assert.match(probe.id, /^[a-z0-9-]+$/);
    assert.ok(probe.title.length > 0);
    assert.ok(probe.credentialKinds.length > 0);
    assert.ok(probe.toggles.probe && probe.toggles.credential);
    const defaults = probe.options.decode({});
    assert.equal(defaults._tag, "Right", "empty options must decode to the defaults");
    const unknown = probe.options.decode({ surelyNotAnOption: 1 });
    assert.equal(unknown._tag, "Left", "unknown option keys must be refused");
    assert.ok(Object.keys(probe.optionDocs).length > 0);
  });
}
