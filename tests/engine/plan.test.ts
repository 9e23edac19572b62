import { test } from "node:test";
import assert from "node:assert/strict";
import * as t from "io-ts";
import { right } from "fp-ts/lib/Either.js";
import { planProbeRuns, type PlannedRun } from "../../src/engine/plan.js";
import { createRegistry, defaultRegistry } from "../../src/engine/registry.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { runProbe } from "../../src/engine/promise.js";
import { summaryWith } from "../support/summaries.js";
import type { CredentialKindSpec, Probe, ProbeEnv, ProbeInput, ProbeResult } from "../../src/contract.js";

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

test("toggles that would turn a vendor off without a word are refused by field: a toggle no probe has, a key a toggle does not take, a credential toggle not true or false or in another case, a repeated id", () => {
  const plan = planProbeRuns(
    {
      probes: { defender365: { enabled: true }, Defender365: { enabled: true, option: { pageSize: 10 } }, Nmap: { enabled: true, depth: 3 } },
      credentials: [azure({ MS365Defender: "yes" }), azure({ ms365defender: true }), azure({ id: "azure-eu" })],
    },
    defaultRegistry,
    "connector",
  );
  assert.equal(plan._tag, "Left");
  if (plan._tag !== "Left") return;
  const byField = Object.fromEntries(plan.left.issues.map((i) => [i.field, i.problem]));
  assert.match(byField["probes.defender365"] ?? "", /did you mean Defender365\?/);
  assert.match(byField["probes.Defender365.option"] ?? "", /takes enabled and options/);
  assert.match(byField["credentials[0].MS365Defender"] ?? "", /true or false/);
  assert.match(byField["credentials[1].ms365defender"] ?? "", /did you mean MS365Defender\?/);
  assert.match(byField["credentials[1].id"] ?? "", /credentials\[0\] has this id too/);
  assert.equal(byField["credentials[2].id"], undefined, "another id is fine");
  assert.ok(!Object.keys(byField).some((field) => field.startsWith("probes.Nmap")), "the engine's own toggles are left alone");
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
// A probe of another source, defined here: its own credential kind and codec, options of its own type.
const ACME_KEY = "acme-key-0123456789-must-not-leak";
const AcmeApiKeyCodec = t.intersection([t.type({ kind: t.literal("acme-api-key"), apiKey: t.string }), t.partial({ region: t.keyof({ eu: null, us: null }) })]);
type AcmeApiKey = t.TypeOf<typeof AcmeApiKeyCodec>;
const ACME_API_KEY: CredentialKindSpec<AcmeApiKey> = { kind: "acme-api-key", title: "Acme API key", codec: AcmeApiKeyCodec };

interface AcmeOptions {
  readonly greeting: string;
}
const AcmeOptionsCodec = new t.Type<AcmeOptions, AcmeOptions, unknown>(
  "AcmeOptions",
  (u): u is AcmeOptions => typeof (u as Partial<AcmeOptions> | null)?.greeting === "string",
  (u, c) =>
    u === undefined
      ? t.success({ greeting: "hello" })
      : typeof (u as Partial<AcmeOptions> | null)?.greeting === "string"
        ? t.success(u as AcmeOptions)
        : t.failure(u, c, "expected { greeting: string }"),
  t.identity,
);

const resultOf = (input: ProbeInput<unknown, unknown>, probe: string): ProbeResult => ({
  records: [],
  warnings: [],
  summary: summaryWith(probe, {}, { runId: input.runId ?? "made-up", credentialId: input.credentialId ?? null, mode: input.mode, coverage: {} }),
});

/** What each acme run was given, to check what `start` passes on. */
const seen: ProbeInput<AcmeOptions, AcmeApiKey>[] = [];
const acme: Probe<AcmeOptions, AcmeApiKey> = {
  id: "acme",
  title: "Acme EDR",
  toggles: { probe: "Acme", credential: "AcmeProbe" },
  control: { id: "edr", title: "EDR" },
  credentialKinds: [ACME_API_KEY],
  options: AcmeOptionsCodec,
  optionDocs: { greeting: "What to say. Default: hello." },
  run: (input) => () => {
    seen.push(input);
    return Promise.resolve(right(resultOf(input, "acme")));
  },
};
const local: Probe<AcmeOptions, undefined> = {
  id: "local",
  title: "Local agent list",
  toggles: { probe: "Local", credential: "LocalProbe" },
  control: { id: "edr", title: "EDR" },
  credentialKinds: [],
  options: AcmeOptionsCodec,
  optionDocs: { greeting: "What to say. Default: hello." },
  run: (input) => () => Promise.resolve(right(resultOf(input, "local"))),
};
const registry = createRegistry([defender365, acme, local]);
const acmeKey = (extra: Record<string, unknown> = {}) => ({ id: "acme-prod", kind: "acme-api-key", apiKey: ACME_KEY, AcmeProbe: true, ...extra });
const env = {} as ProbeEnv; // the test probes use no effect

test("a probe that takes no credential is planned once, with credentialId null, when its toggle is on", () => {
  const plan = planProbeRuns({ probes: { Local: { enabled: true } }, credentials: [acmeKey()] }, registry, "probe");
  assert.equal(plan._tag, "Right");
  if (plan._tag !== "Right") return;
  assert.deepEqual(
    plan.right.runs.map((r) => [r.probe.id, r.credentialId, r.credentialKind]),
    [["local", null, null]],
  );
  assert.deepEqual(plan.right.runs[0]?.options, { greeting: "hello" });
});

test("an unknown kind is refused, naming the kinds the probe accepts", () => {
  const plan = planProbeRuns({ probes: { Acme: { enabled: true } }, credentials: [acmeKey({ kind: "acme-api-kee" })] }, registry, "probe");
  assert.equal(plan._tag, "Left");
  if (plan._tag !== "Left") return;
  assert.equal(plan.left.issues[0]?.field, "credentials[0].kind");
  assert.match(plan.left.issues[0]?.problem ?? "", /Acme EDR accepts acme-api-key credentials/);
  assert.ok(!JSON.stringify(plan.left).includes(ACME_KEY));
});

test("a probe's own credential kind is decoded with its own codec, and the key never appears in an error", () => {
  const ok = planProbeRuns({ probes: { Acme: { enabled: true } }, credentials: [acmeKey({ region: "eu" })] }, registry, "probe");
  assert.equal(ok._tag, "Right");
  if (ok._tag === "Right") assert.deepEqual([ok.right.runs[0]?.credentialId, ok.right.runs[0]?.credentialKind], ["acme-prod", "acme-api-key"]);

  const bad = planProbeRuns({ probes: { Acme: { enabled: true } }, credentials: [acmeKey({ region: "mars" })] }, registry, "probe");
  assert.equal(bad._tag, "Left");
  if (bad._tag !== "Left") return;
  assert.deepEqual(
    bad.left.issues.map((i) => i.field),
    ["credentials[0].region"],
  );
  assert.ok(!JSON.stringify(bad.left).includes(ACME_KEY));
  assert.ok(!bad.left.message.includes(ACME_KEY));
});

test("an Azure credential enabled for the Acme probe is refused by kind, not decoded as Azure", () => {
  const plan = planProbeRuns({ probes: { Acme: { enabled: true } }, credentials: [azure({ AcmeProbe: true })] }, registry, "probe");
  assert.equal(plan._tag, "Left");
  if (plan._tag === "Left")
    assert.deepEqual(
      plan.left.issues.map((i) => i.field),
      ["credentials[0].kind"],
    );
});

test("start runs with the decoded credential and options, passing credentialId and runId on", async () => {
  seen.length = 0;
  const plan = planProbeRuns({ probes: { Acme: { enabled: true, options: { greeting: "hi" } } }, credentials: [acmeKey()] }, registry, "connector");
  assert.equal(plan._tag, "Right");
  if (plan._tag !== "Right") return;
  const run = plan.right.runs[0];
  assert.ok(run);
  const result = await run.start({ assets: [], runId: "run-7" }, env);
  assert.deepEqual([result.summary.runId, result.summary.credentialId], ["run-7", "acme-prod"]);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.credentialId, "acme-prod");
  assert.equal(seen[0]?.runId, "run-7");
  assert.equal(seen[0]?.mode, "connector");
  assert.equal(seen[0]?.credential.apiKey, ACME_KEY);
  assert.equal(seen[0]?.options.greeting, "hi");
  const viaTask = await run.task({ assets: [], runId: "run-8" }, env)();
  assert.equal(viaTask._tag === "Right" ? viaTask.right.summary.runId : null, "run-8");
});

test("the registry gathers every probe's credential kinds once, and refuses one kind with two codecs", () => {
  assert.deepEqual(
    registry.credentialKinds().map((spec) => spec.kind),
    [...defender365.credentialKinds.map((spec) => spec.kind), "acme-api-key"],
  );
  const twin: Probe<AcmeOptions, AcmeApiKey> = { ...acme, id: "acme-twin" };
  assert.equal(createRegistry([acme, twin]).credentialKinds().length, 1);
  const lookalike = t.type({ kind: t.literal("acme-api-key"), apiKey: t.string }); // decodes the same, but another codec
  const impostor: Probe<AcmeOptions, AcmeApiKey> = { ...acme, id: "acme-impostor", credentialKinds: [{ ...ACME_API_KEY, codec: lookalike }] };
  assert.throws(() => createRegistry([acme, impostor]), /"acme-impostor" declares credential kind "acme-api-key" with a codec of its own/);
});

test("types: a run cannot be started with options of another type", () => {
  // Compiled, never called: each line below must fail to typecheck (tsc -p tsconfig.test.json).
  const _typeChecks = (run: PlannedRun) => {
    // @ts-expect-error a registry's probe hides its option type: it cannot be run with options of the caller's choosing
    void runProbe(run.probe, { ...run, credential: undefined, assets: [], options: 42 }, env);
    // @ts-expect-error a typed probe refuses options of another type
    void runProbe(acme, { mode: "probe", credential: { kind: "acme-api-key", apiKey: "k" }, options: 42, assets: [] }, env);
    // @ts-expect-error a planned run holds its options: start takes none
    void run.start({ assets: [], options: 42 }, env);
  };
  assert.equal(typeof _typeChecks, "function");
});
