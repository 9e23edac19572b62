/**
 * `checkProbe`: the shipped probe passes, a small source built with `syncProbe` passes, and
 * each check finds the problem it is there for in a probe broken on purpose.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { left, right } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { CredentialCodec } from "../../src/azure/credentials.js";
import type { Probe, ProbeInput, ProbeResult } from "../../src/contract.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { summaryWith } from "../support/summaries.js";
import { checkProbe, decodeWith, optionsTable, syncProbe, type OptionsOf, type ProbeCheck, type ProbeProblem, type SourcePage } from "../../src/sdk/index.js";

const env = createEnvironment({ proxy: () => undefined });

const KeyCodec = t.exact(t.type({ kind: t.literal("acme-api-key"), apiKey: t.string }));
type Key = t.TypeOf<typeof KeyCodec>;
const KEY: Key = { kind: "acme-api-key", apiKey: "unused-key" };

const acmeOptions = optionsTable({ includeInactive: { codec: t.boolean, default: false, doc: "Also read inactive devices." } }, "AcmeOptions");
type AcmeOptions = OptionsOf<typeof acmeOptions>;

const DeviceCodec = t.type({ id: t.string, hostname: t.string, protected: t.boolean });

/** A source that lists two devices from memory. */
const good: Probe<AcmeOptions, Key> = syncProbe({
  id: "acme",
  title: "Acme EDR",
  toggles: { probe: "Acme", credential: "AcmeEdr" },
  credentialKinds: [{ kind: "acme-api-key", title: "Acme API key", codec: KeyCodec }],
  control: { id: "edr", title: "EDR" },
  options: acmeOptions.codec,
  optionDocs: acmeOptions.docs,
  errorCodes: { ERR_API_FORBIDDEN: { fault: "user", means: "The key lacks the devices:read scope." } },
  logPrefix: "ACME",
  settingsOf: (options) => ({ includeInactive: options.includeInactive, excludeUnknown: false, siteId: null, incremental: false }),
  open: async () => {
    const pages: SourcePage[] = [{ number: 1, items: [{ id: "d1", hostname: "host-1", protected: true }] }];
    return { pages: pages[Symbol.iterator]() as unknown as AsyncIterator<SourcePage>, classify: () => assert.fail("nothing fails") };
  },
  decode: (raw, place) => decodeWith(DeviceCodec, raw, place, "ACME_INVALID_DEVICE"),
  idOf: (device) => device.id,
  describe: (device, id) => ({
    device: { id, names: [device.hostname], macs: [], addresses: [], lastSeen: null, mergedIntoId: null, potentialDuplicate: false },
    state: device.protected ? "protected" : "unhealthy",
    inactive: false,
    os: null,
    firstSeen: null,
    lastSeen: null,
  }),
  identifiersOfInvalid: () => ({ names: [], addresses: [], macs: [] }),
});

const checksOf = (problems: readonly ProbeProblem[]): ProbeCheck[] => [...new Set(problems.map((p) => p.check))].sort();

/** The partial result of a cancelled run, as the framework would give it. */
const cancelledResult = (input: ProbeInput<unknown, unknown>, probe = "acme"): ProbeResult => ({
  records: [],
  warnings: [],
  summary: summaryWith(probe, Object.fromEntries(input.assets.map((a) => [a.id, "unknown" as const])), {
    runId: "r",
    mode: input.mode,
    complete: false,
    errors: [{ code: "ERR_CANCELLED", message: "The run was cancelled." }],
  }),
});

const cancelledError = (partial: ProbeResult) => ({
  _tag: "CancelledError" as const,
  code: "ERR_CANCELLED" as const,
  message: "The run was cancelled.",
  hint: "-",
  partial,
});

/** `good` with `run` replaced. */
const withRun = (run: Probe<AcmeOptions, Key>["run"]): Probe<AcmeOptions, Key> => ({ ...good, run });

test("the shipped Defender probe passes", async () => {
  const credential = CredentialCodec.decode({
    kind: "azure-client-secret",
    tenantId: "00000000-0000-4000-8000-000000000001",
    clientId: "00000000-0000-4000-8000-000000000002",
    clientSecret: "unused-secret-value",
  });
  assert.equal(credential._tag, "Right");
  if (credential._tag === "Right") assert.deepEqual(await checkProbe(defender365, { credential: credential.right, env }), []);
});

test("a source built with syncProbe and the SDK's helpers passes", async () => {
  assert.deepEqual(await checkProbe(good, { credential: KEY, env }), []);
});

test("without a credential, a probe that takes one is reported as not checked", async () => {
  const problems = await checkProbe(good, { env });
  assert.deepEqual(checksOf(problems), ["cancelledRun"]);
  assert.match(problems[0]?.problem ?? "", /give settings\.credential/);
});

test("names: id, title, control and toggles of the wrong form are each reported", async () => {
  const cases: [Probe<AcmeOptions, Key>, ProbeCheck][] = [
    [{ ...good, title: " " }, "title"],
    [{ ...good, control: { id: "EDR", title: "EDR" } }, "control"],
    [{ ...good, control: { id: "edr", title: "" } }, "control"],
    [{ ...good, toggles: { probe: "", credential: "AcmeEdr" } }, "toggles"],
    [{ ...good, toggles: { probe: "Acme", credential: "Acme Edr" } }, "toggles"],
  ];
  for (const [probe, check] of cases) assert.ok(checksOf(await checkProbe(probe, { credential: KEY, env })).includes(check), check);
  const renamed = await checkProbe({ ...good, id: "Acme_EDR" }, { credential: KEY, env });
  assert.ok(renamed.some((p) => p.check === "id" && /"Acme_EDR"/.test(p.problem)));
});

test("options: an unknown key accepted, refused without its name, or an undocumented required key", async () => {
  const loose = { ...good, options: t.type({ includeInactive: t.union([t.boolean, t.undefined]) }) } as unknown as Probe<AcmeOptions, Key>;
  const unnamed = {
    ...good,
    options: new t.Type<AcmeOptions, unknown, unknown>(
      "Opts",
      (_u): _u is AcmeOptions => true,
      (u, c) => (typeof u === "object" && u !== null && Object.keys(u).length > 0 ? t.failure(u, c, "bad options") : t.success({ includeInactive: false })),
      t.identity,
    ),
  };
  const required = { ...good, options: t.type({ region: t.string }), optionDocs: {} } as unknown as Probe<AcmeOptions, Key>;
  const loosely = await checkProbe(loose, { credential: KEY, env });
  assert.deepEqual(checksOf(loosely), ["options"]);
  assert.ok(loosely.some((p) => /accepts an unknown key/.test(p.problem)));
  assert.ok(loosely.some((p) => /refuses no options \(undefined\) as a whole/.test(p.problem)));
  const silently = await checkProbe(unnamed, { credential: KEY, env });
  assert.deepEqual(checksOf(silently), ["options"]);
  assert.match(silently[0]?.problem ?? "", /without naming it/);
  const requiring = await checkProbe(required, { credential: KEY, env, options: { region: "eu" } as unknown as AcmeOptions });
  assert.ok(requiring.some((p) => p.check === "options" && /fail on region, which optionDocs does not document/.test(p.problem)));
  assert.ok(requiring.some((p) => p.check === "optionDocs" && /documents no region/.test(p.problem)));
});

test("optionDocs: an option without a doc, or with an empty one", async () => {
  const undocumented = await checkProbe({ ...good, optionDocs: {} }, { credential: KEY, env });
  assert.deepEqual(undocumented, [{ check: "optionDocs", problem: "optionDocs documents no includeInactive" }]);
  const empty = await checkProbe({ ...good, optionDocs: { includeInactive: "" } }, { credential: KEY, env });
  assert.deepEqual(checksOf(empty), ["optionDocs"]);
});

test("credential kinds: a bad kind name, no title, a codec that takes {} or another kind, or one that repeats a value", async () => {
  const spec = good.credentialKinds[0] ?? assert.fail("a kind");
  const echoing = new t.Type<Key, Key, unknown>(
    "Key",
    (u): u is Key => KeyCodec.is(u),
    (u, c) => {
      const o = u as Record<string, unknown>;
      if (o["kind"] !== "acme-api-key") return t.failure(u, c, `unknown kind ${String(o["kind"])}`);
      return typeof o["apiKey"] === "string" && /^[a-f0-9]{32}$/.test(o["apiKey"])
        ? t.success(o as Key)
        : t.failure(u, c, `apiKey ${String(o["apiKey"])} is not 32 hex digits`);
    },
    t.identity,
  );
  const cases: [Probe<AcmeOptions, Key>["credentialKinds"], RegExp][] = [
    [[{ ...spec, kind: "Acme Key" }], /kind "Acme Key" must be lowercase/],
    [[spec, spec], /declared twice/],
    [[{ ...spec, title: "" }], /empty title/],
    [[{ ...spec, codec: t.partial({ apiKey: t.string }) as unknown as typeof KeyCodec }], /accepts \{\}/],
    [[{ ...spec, codec: t.type({ apiKey: t.string }) as unknown as typeof KeyCodec }], /accepts a credential of another kind/],
    [[{ ...spec, codec: echoing }], /repeats a value/],
  ];
  for (const [credentialKinds, problem] of cases) {
    const problems = await checkProbe({ ...good, credentialKinds }, { credential: KEY, env });
    assert.deepEqual(checksOf(problems), ["credentialKinds"], String(problem));
    assert.ok(
      problems.some((p) => problem.test(p.problem)),
      `${String(problem)} in ${JSON.stringify(problems)}`,
    );
  }
});

test("error codes: a code not of the ERR_ form, without a fault or a meaning", async () => {
  const problems = await checkProbe(
    { ...good, errorCodes: { FORBIDDEN: { fault: "user", means: "no scope" }, ERR_ACME_QUOTA: { fault: "nobody" as "user", means: "" } } },
    { credential: KEY, env },
  );
  assert.deepEqual(
    problems.map((p) => p.problem),
    [
      'error code "FORBIDDEN" must be ERR_ followed by uppercase words joined by "_"',
      "error code ERR_ACME_QUOTA has no fault (user or provider)",
      "error code ERR_ACME_QUOTA does not say what it means",
    ],
  );
});

test("cancelled run: each way of getting it wrong is reported", async () => {
  const cases: [Probe<AcmeOptions, Key>["run"], RegExp][] = [
    [(input) => async () => right({ ...cancelledResult(input), summary: { ...cancelledResult(input).summary, complete: true } }), /ended Right/],
    [() => async () => left({ _tag: "ApiError", code: "ERR_API_NETWORK", message: "no network", hint: "-", partial: undefined }), /ended with ERR_API_NETWORK/],
    [() => async () => left({ ...cancelledError(cancelledResult({ mode: "probe", assets: [] } as never)), partial: undefined }), /carries no partial/],
    [
      (input) => async () => left(cancelledError({ ...cancelledResult(input), summary: { ...cancelledResult(input).summary, complete: true } })),
      /says complete: true/,
    ],
    [(input) => async () => left(cancelledError(cancelledResult({ ...input, assets: input.assets.slice(1) }))), /no verdict for asset\(s\) check-asset-1/],
    [
      (input) => async () => {
        const partial = cancelledResult(input);
        const edr = partial.summary.coverage["edr"] ?? assert.fail("coverage");
        const byAsset = { ...edr.byAsset, "check-asset-2": "missing" as const };
        return left(cancelledError({ ...partial, summary: { ...partial.summary, coverage: { edr: { ...edr, missing: 1, byAsset } } } }));
      },
      /calls asset\(s\) check-asset-2 missing/,
    ],
    [(input) => async () => left(cancelledError(cancelledResult(input, "other"))), /summary's probe is "other"/],
    [
      (input, env) => async () => {
        await env.http.get("https://127.0.0.1:9/devices").catch(() => undefined);
        return left(cancelledError(cancelledResult(input)));
      },
      /made a request to https:\/\/127\.0\.0\.1:9/,
    ],
    [
      () => async () => {
        throw new TypeError("oops");
      },
      /threw \(TypeError\)/,
    ],
    [() => () => new Promise(() => undefined), /did not end within 50 ms/],
  ];
  for (const [run, problem] of cases) {
    const problems = await checkProbe(withRun(run), { credential: KEY, env, timeoutMs: 50 });
    assert.ok(
      problems.some((p) => p.check === "cancelledRun" && problem.test(p.problem)),
      `${String(problem)} in ${JSON.stringify(problems)}`,
    );
  }
});

test("task log: an event code of the wrong form is reported", async () => {
  const chatty = withRun((input, env) => async () => {
    env.taskLog({ probe: "acme", credentialId: null, runId: "r", level: "info", code: "acme-page", message: "page" });
    return left(cancelledError(cancelledResult(input)));
  });
  assert.deepEqual(await checkProbe(chatty, { credential: KEY, env }), [
    { check: "taskLog", problem: 'task-log code "acme-page" must be uppercase words joined by "_" (e.g. ACME_PAGE)' },
  ]);
});
