import { test } from "node:test";
import assert from "node:assert/strict";
import * as t from "io-ts";
import { AZURE_CREDENTIAL_KINDS, CredentialCodec, describeCredential } from "../../src/azure/credentials.js";
import { credentialCodecOf } from "../../src/engine/credential-kinds.js";
import { decodeInput } from "../../src/util/decode.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "66666666-7777-8888-9999-000000000000";
const SECRET = "Qx8~s3cr3t-VALUE.that-must-not-leak";

test("a client-secret credential decodes; extra Azure fields are accepted", () => {
  const r = decodeInput(
    CredentialCodec,
    { kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, allSubscriptions: true },
    "credential",
  );
  assert.equal(r._tag, "Right");
  if (r._tag === "Right") assert.equal(r.right.kind, "azure-client-secret");
});

test("GUIDs are trimmed and lowercased", () => {
  const r = decodeInput(
    CredentialCodec,
    { kind: "azure-client-secret", tenantId: ` ${TENANT.toUpperCase()} `, clientId: CLIENT, clientSecret: SECRET },
    "credential",
  );
  assert.equal(r._tag, "Right");
  if (r._tag === "Right") assert.equal(r.right.tenantId, TENANT);
});

test("a bad field is named, with the fix, and the secret is never echoed", () => {
  const r = decodeInput(CredentialCodec, { kind: "azure-client-secret", tenantId: "contoso", clientId: SECRET, clientSecret: SECRET }, "credential");
  assert.equal(r._tag, "Left");
  if (r._tag !== "Left") return;
  const fields = r.left.issues.map((i) => i.field);
  assert.deepEqual(fields, ["tenantId", "clientId"]);
  assert.match(r.left.message, /GUID/);
  assert.ok(!JSON.stringify(r.left).includes(SECRET), "the error must not contain the secret");
});

test("an empty secret says where to find the value", () => {
  const r = decodeInput(CredentialCodec, { kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: " " }, "credential");
  assert.equal(r._tag, "Left");
  if (r._tag === "Left") assert.match(r.left.message, /clientSecret: .*Value/);
});

test("an unknown kind lists the kinds", () => {
  const r = decodeInput(CredentialCodec, { kind: "aws", tenantId: TENANT }, "credential");
  assert.equal(r._tag, "Left");
  if (r._tag === "Left") assert.match(r.left.message, /kind: expected one of azure-client-secret, azure-client-certificate/);
});

test("a certificate credential needs PEM certificate and key; errors name only those fields", () => {
  const r = decodeInput(
    CredentialCodec,
    {
      kind: "azure-client-certificate",
      tenantId: TENANT,
      clientId: CLIENT,
      certificate: "abc",
      privateKey: "-----BEGIN PUBLIC KEY-----x-----END PUBLIC KEY-----",
    },
    "credential",
  );
  assert.equal(r._tag, "Left");
  if (r._tag !== "Left") return;
  assert.deepEqual(
    r.left.issues.map((i) => i.field),
    ["certificate", "privateKey"],
  );
  assert.ok(!r.left.message.includes("PUBLIC KEY-----x"));
});

test("describeCredential says which fields are set, never their values", () => {
  const text = describeCredential({ kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
  assert.match(text, /clientSecret=<set>/);
  assert.ok(!text.includes(SECRET));
});

// A `kind` (or any key) named after an Object.prototype member is user input like any other:
// a decode error naming `kind`, never a throw (`[{"kind":"toString"}]` once threw).
for (const input of [
  { kind: "toString" },
  { kind: "__proto__" },
  { kind: "constructor", tenantId: TENANT },
  { kind: "hasOwnProperty" },
  { kind: "valueOf" },
  JSON.parse('{"__proto__": {"kind": "azure-client-secret"}, "tenantId": "11111111-2222-3333-4444-555555555555"}') as unknown,
]) {
  test(`a kind named after an Object.prototype member is refused by name: ${JSON.stringify(input)}`, () => {
    const r = decodeInput(CredentialCodec, input, "credential");
    assert.equal(r._tag, "Left");
    if (r._tag === "Left")
      assert.deepEqual(
        r.left.issues.map((i) => i.field),
        ["kind"],
      );
  });
}

for (const [name, input, fields, pattern] of [
  ["a secret inline and in a file", { clientSecret: SECRET, clientSecretFile: "/run/secret" }, ["clientSecret", "clientSecretFile"], /only one/],
  ["neither a secret nor a secret file", {}, ["clientSecret", "clientSecretFile"], /give one of clientSecret or clientSecretFile/],
  ["an empty secret file path", { clientSecretFile: " " }, ["clientSecretFile"], /path/],
] as const) {
  test(`azure-client-secret, ${name}: the fields are named`, () => {
    const r = decodeInput(CredentialCodec, { kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, ...input }, "credential");
    assert.equal(r._tag, "Left");
    if (r._tag !== "Left") return;
    assert.deepEqual(
      r.left.issues.map((i) => i.field),
      fields,
    );
    assert.match(r.left.message, pattern);
    assert.ok(!JSON.stringify(r.left).includes(SECRET));
  });
}

for (const [name, input, fields] of [
  ["certificatePath with an inline certificate", { certificatePath: "/etc/app.pem", certificate: "x" }, ["certificate"]],
  ["only a privateKey", { privateKey: "x" }, ["certificate"]],
  ["nothing", {}, ["certificate", "privateKey"]],
] as const) {
  test(`azure-client-certificate, ${name}: the fields are named`, () => {
    const r = decodeInput(CredentialCodec, { kind: "azure-client-certificate", tenantId: TENANT, clientId: CLIENT, ...input }, "credential");
    assert.equal(r._tag, "Left");
    if (r._tag === "Left")
      assert.deepEqual(
        r.left.issues.map((i) => i.field),
        fields,
      );
  });
}

test("azure-client-certificate from one PEM file, with a password: decodes; describeCredential shows the path, not the password", () => {
  const r = decodeInput(
    CredentialCodec,
    { kind: "azure-client-certificate", tenantId: TENANT, clientId: CLIENT, certificatePath: "/etc/app.pem", certificatePassword: SECRET },
    "credential",
  );
  assert.equal(r._tag, "Right");
  if (r._tag !== "Right") return;
  const text = describeCredential(r.right);
  assert.match(text, /certificatePath=\/etc\/app\.pem certificatePassword=<set>/);
  assert.ok(!text.includes(SECRET));
});

test("azure-workload-identity needs federatedTokenFile, named", () => {
  const r = decodeInput(CredentialCodec, { kind: "azure-workload-identity", tenantId: TENANT, clientId: CLIENT }, "credential");
  assert.equal(r._tag, "Left");
  if (r._tag === "Left")
    assert.deepEqual(
      r.left.issues.map((i) => i.field),
      ["federatedTokenFile"],
    );
});

test("a kind named like an object's own members is refused, naming the kinds, and never echoes the secret", () => {
  for (const kind of ["toString", "__proto__", "constructor", "hasOwnProperty"]) {
    const r = decodeInput(CredentialCodec, { kind, tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET }, "credential");
    assert.equal(r._tag, "Left", kind);
    if (r._tag !== "Left") continue;
    assert.deepEqual(
      r.left.issues.map((i) => i.field),
      ["kind"],
    );
    assert.match(r.left.message, new RegExp(`expected one of ${AZURE_CREDENTIAL_KINDS.map((spec) => spec.kind).join(", ")}`));
    assert.ok(!r.left.message.includes(SECRET));
  }
});

test("a codec of several kinds decodes each with its own codec: an Acme key next to the Azure kinds", () => {
  const AcmeKey = t.type({ kind: t.literal("acme-api-key"), apiKey: t.string });
  const codec = credentialCodecOf<unknown>([...AZURE_CREDENTIAL_KINDS, { kind: "acme-api-key", title: "Acme API key", codec: AcmeKey }]);
  assert.equal(codec.decode({ kind: "acme-api-key", apiKey: SECRET })._tag, "Right");
  const r = decodeInput(codec, { kind: "acme-api-key", apiKey: 7, clientSecret: SECRET }, "credential");
  assert.equal(r._tag, "Left");
  if (r._tag === "Left") {
    assert.deepEqual(
      r.left.issues.map((i) => i.field),
      ["apiKey"],
    );
    assert.ok(!JSON.stringify(r.left).includes(SECRET));
  }
});
