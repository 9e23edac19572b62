import { test } from "node:test";
import assert from "node:assert/strict";
import { CredentialCodec, describeCredential } from "../../src/credentials.js";
import { decodeInput } from "../../src/decode.js";

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
      privateKey: "-----BEGIN ENCRYPTED PRIVATE KEY-----x-----END ENCRYPTED PRIVATE KEY-----",
    },
    "credential",
  );
  assert.equal(r._tag, "Left");
  if (r._tag !== "Left") return;
  assert.deepEqual(
    r.left.issues.map((i) => i.field),
    ["certificate", "privateKey"],
  );
  assert.ok(!r.left.message.includes("ENCRYPTED PRIVATE KEY-----x"));
});

test("describeCredential says which fields are set, never their values", () => {
  const text = describeCredential({ kind: "azure-client-secret", tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
  assert.match(text, /clientSecret=<set>/);
  assert.ok(!text.includes(SECRET));
});

// A `kind` (or any key) named after an Object.prototype member is user input like any other:
// a decode error naming `kind`, never a throw (issue 20: [{"kind":"toString"}] threw).
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
