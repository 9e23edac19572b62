/**
 * Property tests: any JSON into every decoder at the boundary gives a value or a decode
 * error, never a throw; errors always name a field.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CREDENTIAL_KINDS, CREDENTIAL_VARIABLES, CredentialCodec, credentialFromEnvironment } from "../../../src/azure/credentials.js";
import { ScannedAssetsCodec } from "../../../src/engine/assets.js";
import { Defender365OptionsCodec } from "../../../src/probes/defender365/options.js";
import { decodeMachine } from "../../../src/probes/defender365/decode-machine.js";
import { decodeInput, issuesOf } from "../../../src/util/decode.js";
import { planProbeRuns } from "../../../src/engine/plan.js";
import { defaultRegistry } from "../../../src/engine/registry.js";

const anyJson = fc.jsonValue({ maxDepth: 4 });
/** Names a plain-object lookup would answer from Object.prototype (`{"kind":"toString"}` once threw). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
/** Strings a decoder may look up: real kinds, clouds and keys, Object.prototype's names, anything. */
const lookedUp = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, ...CREDENTIAL_KINDS, "commercial", "gcc-high", ""), fc.string());
const objectish = fc.oneof(
  anyJson,
  fc.record({ kind: lookedUp, cloud: lookedUp }, { requiredKeys: [] }),
  fc.dictionary(lookedUp, anyJson),
  fc.dictionary(
    fc.constantFrom(
      "kind",
      "tenantId",
      "clientId",
      "clientSecret",
      "certificate",
      "privateKey",
      "clientSecretFile",
      "certificatePath",
      "certificatePassword",
      "federatedTokenFile",
      "authorityHost",
      "pageSize",
      "cloud",
      "apiBaseUrl",
      "id",
      "addresses",
      "macs",
      "names",
      "probes",
      "credentials",
      "siteId",
    ),
    anyJson,
  ),
);

const decoders: [string, (u: unknown) => unknown][] = [
  ["credential", (u) => decodeInput(CredentialCodec, u, "credential")],
  ["options", (u) => decodeInput(Defender365OptionsCodec, u, "options")],
  ["assets", (u) => decodeInput(ScannedAssetsCodec, u, "assets")],
  ["scan task settings", (u) => planProbeRuns(u, defaultRegistry, "probe")],
  ["a device on a page", (u) => decodeMachine(u, 1, 0)],
];

for (const [name, decode] of decoders) {
  test(`any JSON into the ${name} decoder: a value or a decode error naming a field, never a throw`, () => {
    fc.assert(
      fc.property(objectish, (input) => {
        const result = decode(input) as { _tag?: string; left?: { issues?: { field: string }[] }; warning?: { path?: string } };
        if (result._tag === "Left") assert.ok((result.left?.issues?.length ?? 0) > 0 && result.left?.issues?.every((i) => i.field.length > 0));
        if (result.warning) assert.ok(result.warning.path?.startsWith("page 1 › value[0]"));
      }),
      { numRuns: 2_000 },
    );
  });
}

test("any environment into credentialFromEnvironment: a credential or errors naming variables, never a throw, never a value", () => {
  const names = fc.constantFrom(...Object.values(CREDENTIAL_VARIABLES), ...PROTOTYPE_NAMES);
  const values = fc.oneof(fc.string(), fc.constantFrom("11111111-2222-3333-4444-555555555555", "https://login.example", "http://x", " "));
  fc.assert(
    fc.property(fc.dictionary(names, values), (env) => {
      const result = credentialFromEnvironment(env);
      if (result._tag === "Right") return;
      const issues = issuesOf(result.left);
      assert.ok(issues.length > 0);
      for (const issue of issues) assert.ok((Object.values(CREDENTIAL_VARIABLES) as string[]).includes(issue.field), issue.field);
    }),
    { numRuns: 1_000 },
  );
});
