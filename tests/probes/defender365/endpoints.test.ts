/**
 * Where the secret and the token go: settled from the credential and the options before any
 * network call. Options may name only the credential's cloud preset hosts (regional API
 * hosts included) or the very hosts the credential names.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CredentialCodec, type Credential } from "../../../src/azure/credentials.js";
import { Defender365OptionsCodec, type Defender365Options } from "../../../src/probes/defender365/options.js";
import { resolveEndpoints } from "../../../src/probes/defender365/endpoints.js";
import { decodeInput } from "../../../src/util/decode.js";
import { planProbeRuns } from "../../../src/engine/plan.js";
import { defaultRegistry } from "../../../src/engine/registry.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "66666666-7777-8888-9999-000000000000";
const SECRET = "endpoints-test-secret-value";
const MIRROR = "https://login.mirror.example:8443";
const MIRROR_API = "https://api.mirror.example";
const EVIL = "https://collect.attacker.example";

const credential = (extra: Record<string, unknown> = {}): Credential => {
  const r = CredentialCodec.decode({ kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, ...extra });
  if (r._tag === "Left") throw new Error("test credential does not decode");
  return r.right;
};
const options = (o: Record<string, unknown> = {}): Defender365Options => {
  const r = Defender365OptionsCodec.decode(o);
  if (r._tag === "Left") throw new Error("test options do not decode");
  return r.right;
};

const allowed: [string, Record<string, unknown>, Record<string, unknown>, { authorityHost: string; apiBaseUrl: string; cloud: string }][] = [
  [
    "nothing named: the commercial preset",
    {},
    {},
    { authorityHost: "https://login.microsoftonline.com", apiBaseUrl: "https://api.security.microsoft.com", cloud: "commercial" },
  ],
  [
    "the options' cloud when the credential names none",
    {},
    { cloud: "gcc-high" },
    { authorityHost: "https://login.microsoftonline.us", apiBaseUrl: "https://api-gov.securitycenter.microsoft.us", cloud: "gcc-high" },
  ],
  [
    "the credential's cloud",
    { cloud: "dod" },
    {},
    { authorityHost: "https://login.microsoftonline.us", apiBaseUrl: "https://api-gov.securitycenter.microsoft.us", cloud: "dod" },
  ],
  [
    "a regional API host of the preset",
    {},
    { apiBaseUrl: "https://eu.api.security.microsoft.com" },
    { authorityHost: "https://login.microsoftonline.com", apiBaseUrl: "https://eu.api.security.microsoft.com", cloud: "commercial" },
  ],
  [
    "a 2021 regional host",
    {},
    { apiBaseUrl: "https://api-uk.securitycenter.microsoft.com" },
    { authorityHost: "https://login.microsoftonline.com", apiBaseUrl: "https://api-uk.securitycenter.microsoft.com", cloud: "commercial" },
  ],
  ["hosts the credential names", { authorityHost: MIRROR, apiBaseUrl: MIRROR_API }, {}, { authorityHost: MIRROR, apiBaseUrl: MIRROR_API, cloud: "commercial" }],
  [
    "options naming the credential's very hosts (a path on the API host)",
    { authorityHost: MIRROR, apiBaseUrl: MIRROR_API },
    { authorityHost: `${MIRROR}/`, apiBaseUrl: `${MIRROR_API}/eu` },
    { authorityHost: MIRROR, apiBaseUrl: `${MIRROR_API}/eu`, cloud: "commercial" },
  ],
  [
    "options naming the preset's authority over the credential's",
    { authorityHost: MIRROR },
    { authorityHost: "https://login.microsoftonline.com" },
    { authorityHost: "https://login.microsoftonline.com", apiBaseUrl: "https://api.security.microsoft.com", cloud: "commercial" },
  ],
];

for (const [name, cred, opts, expected] of allowed) {
  test(`allowed: ${name}`, () => {
    const r = resolveEndpoints(credential(cred), options(opts));
    assert.equal(r._tag, "Right", JSON.stringify(r));
    if (r._tag !== "Right") return;
    assert.deepEqual({ authorityHost: r.right.authorityHost, apiBaseUrl: r.right.apiBaseUrl, cloud: r.right.cloud }, expected);
  });
}

const refused: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
  ["an authority host nobody allowed", {}, { authorityHost: EVIL }, ["authorityHost"]],
  ["an API host nobody allowed", {}, { apiBaseUrl: EVIL }, ["apiBaseUrl"]],
  ["another cloud's API host", {}, { apiBaseUrl: "https://api-gov.securitycenter.microsoft.us" }, ["apiBaseUrl"]],
  ["the preset host on another port", {}, { authorityHost: "https://login.microsoftonline.com:8443" }, ["authorityHost"]],
  ["a cloud other than the credential's", { cloud: "gcc-high" }, { cloud: "commercial" }, ["cloud"]],
  ["the commercial authority for a gcc-high credential", { cloud: "gcc-high" }, { authorityHost: "https://login.microsoftonline.com" }, ["authorityHost"]],
  [
    "a host other than the one the credential names",
    { authorityHost: MIRROR, apiBaseUrl: MIRROR_API },
    { authorityHost: EVIL, apiBaseUrl: EVIL },
    ["authorityHost", "apiBaseUrl"],
  ],
];

for (const [name, cred, opts, fields] of refused) {
  test(`refused, naming the option: ${name}`, () => {
    const r = resolveEndpoints(credential(cred), options(opts));
    assert.equal(r._tag, "Left");
    if (r._tag !== "Left") return;
    assert.deepEqual(
      r.left.map((i) => i.field),
      fields,
    );
    assert.ok(
      r.left.every((i) => /credential/.test(i.problem)),
      "the fix points at the credential",
    );
    assert.ok(!JSON.stringify(r.left).includes(SECRET));
  });
}

test("the engine refuses the plan, naming the option and the credential, before any network call", () => {
  const plan = planProbeRuns(
    {
      probes: { Defender365: { enabled: true, options: { authorityHost: EVIL } } },
      credentials: [{ id: "azure-prod", kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, MS365Defender: true }],
    },
    defaultRegistry,
    "probe",
  );
  assert.equal(plan._tag, "Left");
  if (plan._tag !== "Left") return;
  assert.deepEqual(
    plan.left.issues.map((i) => i.field),
    ["probes.Defender365.options.authorityHost"],
  );
  assert.match(plan.left.issues[0]?.problem ?? "", /azure-prod/);
});

test("the engine plans a run whose credential names the hosts the options name", () => {
  const plan = planProbeRuns(
    {
      probes: { Defender365: { enabled: true, options: { authorityHost: MIRROR } } },
      credentials: [
        { id: "mirror", kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, MS365Defender: true, authorityHost: MIRROR },
      ],
    },
    defaultRegistry,
    "probe",
  );
  assert.equal(plan._tag, "Right");
});

test("a credential's destination fields are decoded and named when wrong", () => {
  const r = decodeInput(
    CredentialCodec,
    { kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, cloud: "mars", authorityHost: "http://x" },
    "credential",
  );
  assert.equal(r._tag, "Left");
  if (r._tag !== "Left") return;
  assert.deepEqual(
    r.left.issues.map((i) => i.field),
    ["cloud", "authorityHost"],
  );
});
