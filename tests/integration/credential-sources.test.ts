/**
 * Every credential source end to end against the simulated tenant (real msal, real got):
 * a token obtained and the device list read, each source's errors, and a secrets scan of
 * everything the runs and `verify` print and log, with every log namespace enabled.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger, ProbeEnv } from "../../src/contract.js";
import { CredentialCodec, credentialFromEnvironment, type Credential } from "../../src/azure/credentials.js";
import { msalTokenProviderFactory } from "../../src/runtime/auth/token-provider.js";
import { createEnvironment } from "../../src/runtime/environment.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { EXIT, verifyCommand, type Terminal } from "../../src/cli/commands.js";
import { startSimulatedTenant, type SimulatedTenant } from "../../src/simulator/index.js";

const SCOPE = "https://api.securitycenter.microsoft.com/.default";
const PASSWORD = "pem-password-0123456789";
let tenant: SimulatedTenant;
let dir: string;
let env: ProbeEnv;
const lines: string[] = [];
const events: string[] = [];
/** Every string that must never be printed or logged. */
const secrets = new Set<string>([PASSWORD]);

/** A logger as `debug` is with DEBUG=*: every namespace enabled. */
const everything: Logger = (namespace) =>
  Object.assign((format: string, ...args: unknown[]) => void lines.push(`${namespace} ${format} ${args.map(String).join(" ")}`), { enabled: true });

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const decode = (raw: Record<string, unknown>): Credential => {
  const r = CredentialCodec.decode(raw);
  if (r._tag === "Left") throw new Error(`test credential does not decode: ${JSON.stringify(Object.keys(raw))}`);
  return r.right;
};

before(async () => {
  tenant = await startSimulatedTenant({ devices: 7 });
  dir = mkdtempSync(join(tmpdir(), "scan-probe-sources-"));
  env = createEnvironment({ extraCaPem: tenant.caPem, log: everything, taskLog: (e) => events.push(JSON.stringify(e)) });
  const s = tenant.credential("azure-client-secret");
  const c = tenant.credential("azure-client-certificate");
  secrets.add(s["clientSecret"] ?? "").add(c["privateKey"] ?? "");
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tenant.close();
});

const signIn = async (credential: Credential) => {
  const tokens = msalTokenProviderFactory(env.http, everything)({ credential, authorityHost: tenant.authorityHost, scope: SCOPE });
  const token = await tokens.getToken()();
  for (const s of tokens.secrets()) secrets.add(s);
  return { tokens, token };
};

const runProbe = async (credential: Credential) => {
  const options = defender365.options.decode({});
  if (options._tag === "Left") throw new Error("default options do not decode");
  return defender365.run({ mode: "connector", credential, options: options.right, assets: [] }, env)();
};

const sources: [string, () => Record<string, unknown>][] = [
  [
    "a secret read from clientSecretFile",
    () => ({ ...tenant.credential(), clientSecret: undefined, clientSecretFile: file("secret.txt", `${tenant.credential()["clientSecret"]}\n`) }),
  ],
  [
    "a certificate and key read from one PEM file (certificatePath)",
    () => {
      const c = tenant.credential("azure-client-certificate");
      return { ...c, certificate: undefined, privateKey: undefined, certificatePath: file("app.pem", `${c["certificate"]}\n${c["privateKey"]}`) };
    },
  ],
  [
    "a certificate whose key is encrypted, with certificatePassword",
    () => {
      const c = tenant.credential("azure-client-certificate");
      const encrypted = createPrivateKey(c["privateKey"] ?? "")
        .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: PASSWORD })
        .toString();
      return {
        ...c,
        certificate: undefined,
        privateKey: undefined,
        certificatePath: file("encrypted.pem", `${c["certificate"]}\n${encrypted}`),
        certificatePassword: PASSWORD,
      };
    },
  ],
  [
    "workload identity: a federated token read from federatedTokenFile",
    () => {
      const token = tenant.federatedToken();
      secrets.add(token);
      return { ...tenant.credential("azure-workload-identity"), federatedTokenFile: file("federated-token", token) };
    },
  ],
];

for (const [name, make] of sources) {
  test(`${name}: signs in and reads the device list`, async () => {
    const credential = decode(Object.fromEntries(Object.entries(make()).filter(([, v]) => v !== undefined)));
    const { token } = await signIn(credential);
    assert.equal(token._tag, "Right", token._tag === "Left" ? `${token.left.code}: ${token.left.message}` : "");
    const outcome = await runProbe(credential);
    assert.equal(outcome._tag, "Right", outcome._tag === "Left" ? `${outcome.left.code}: ${outcome.left.message}` : "");
    if (outcome._tag === "Right") assert.ok(outcome.right.summary.counts.fetched > 0);
  });
}

const failures: [string, () => Record<string, unknown>, string, RegExp][] = [
  [
    "clientSecretFile missing",
    () => ({ ...tenant.credential(), clientSecret: undefined, clientSecretFile: join(dir, "nope.txt") }),
    "ERR_CREDENTIAL_SOURCE",
    /clientSecretFile .*no such file/,
  ],
  [
    "clientSecretFile empty",
    () => ({ ...tenant.credential(), clientSecret: undefined, clientSecretFile: file("empty.txt", "\n") }),
    "ERR_CREDENTIAL_SOURCE",
    /empty/,
  ],
  [
    "certificatePath unreadable",
    () => ({ ...tenant.credential("azure-client-certificate"), certificate: undefined, privateKey: undefined, certificatePath: join(dir, "missing.pem") }),
    "ERR_CREDENTIAL_SOURCE",
    /certificatePath .*no such file/,
  ],
  [
    "certificatePath without a key",
    () => {
      const c = tenant.credential("azure-client-certificate");
      return { ...c, certificate: undefined, privateKey: undefined, certificatePath: file("cert-only.pem", c["certificate"] ?? "") };
    },
    "ERR_CREDENTIAL_SOURCE",
    /does not hold a PEM private key/,
  ],
  [
    "an encrypted key with the wrong password",
    () => ({
      ...tenant.credential("azure-client-certificate"),
      certificate: undefined,
      privateKey: undefined,
      certificatePath: join(dir, "encrypted.pem"),
      certificatePassword: "wrong-password",
    }),
    "ERR_CREDENTIAL_SOURCE",
    /wrong certificatePassword/,
  ],
  [
    "an encrypted key without a password",
    () => ({ ...tenant.credential("azure-client-certificate"), certificate: undefined, privateKey: undefined, certificatePath: join(dir, "encrypted.pem") }),
    "ERR_CREDENTIAL_SOURCE",
    /no password/,
  ],
  [
    "federatedTokenFile missing",
    () => ({ ...tenant.credential("azure-workload-identity"), federatedTokenFile: join(dir, "no-token") }),
    "ERR_CREDENTIAL_SOURCE",
    /federatedTokenFile .*no such file/,
  ],
  [
    "an expired federated token",
    () => ({ ...tenant.credential("azure-workload-identity"), federatedTokenFile: file("expired-token", tenant.federatedToken({ lifetimeSeconds: -900 })) }),
    "ERR_AUTH_CERTIFICATE",
    /AADSTS700024/,
  ],
  [
    "a federated token for another subject",
    () => ({
      ...tenant.credential("azure-workload-identity"),
      federatedTokenFile: file("other-subject", tenant.federatedToken({ subject: "system:serviceaccount:other:app" })),
    }),
    "ERR_AUTH_FEDERATION",
    /AADSTS70021/,
  ],
  [
    "a federated token for an app without a federated credential",
    () => ({
      ...tenant.credential("azure-workload-identity"),
      clientId: tenant.credential()["clientId"],
      federatedTokenFile: file("no-federation", tenant.federatedToken()),
    }),
    "ERR_AUTH_FEDERATION",
    /AADSTS700211/,
  ],
];

for (const [name, make, code, message] of failures) {
  test(`${name}: ${code}, naming what to fix, no secret`, async () => {
    const credential = decode(Object.fromEntries(Object.entries(make()).filter(([, v]) => v !== undefined)));
    const { token } = await signIn(credential);
    assert.equal(token._tag, "Left");
    if (token._tag !== "Left") return;
    assert.equal(token.left.code, code, token.left.message);
    assert.match(token.left.message, message);
    assert.ok(token.left.hint.length > 0);
    const outcome = await runProbe(credential);
    assert.equal(outcome._tag === "Left" && outcome.left.code, code);
  });
}

test("workload identity: the token file is read again at each sign-in (it rotates)", async () => {
  const path = file("rotating-token", tenant.federatedToken());
  const credential = decode({ ...tenant.credential("azure-workload-identity"), federatedTokenFile: path });
  const tokens = msalTokenProviderFactory(env.http, everything)({ credential, authorityHost: tenant.authorityHost, scope: SCOPE });
  assert.equal((await tokens.getToken()())._tag, "Right");
  writeFileSync(path, tenant.federatedToken({ lifetimeSeconds: -900 })); // the platform wrote a token that is (for the test) already stale
  const stale = await tokens.getToken({ forceRefresh: true })();
  assert.equal(stale._tag === "Left" && stale.left.code, "ERR_AUTH_CERTIFICATE", "the new file content was sent");
  const rotated = tenant.federatedToken();
  writeFileSync(path, rotated);
  const fresh = await tokens.getToken({ forceRefresh: true })();
  assert.equal(fresh._tag, "Right");
  for (const s of tokens.secrets()) secrets.add(s);
  assert.ok(tokens.secrets().includes(rotated), "each assertion read is redacted like a token");
});

const ENV_BASE = () => ({ AZURE_TENANT_ID: tenant.tenantId, AZURE_AUTHORITY_HOST: tenant.authorityHost, SCAN_PROBES_DEFENDER_API_BASE_URL: tenant.apiBaseUrl });

const envCases: [string, () => Record<string, string | undefined>, string][] = [
  [
    "AZURE_CLIENT_SECRET",
    () => ({ ...ENV_BASE(), AZURE_CLIENT_ID: tenant.credential()["clientId"], AZURE_CLIENT_SECRET: tenant.credential()["clientSecret"] }),
    "azure-client-secret",
  ],
  [
    "AZURE_CLIENT_CERTIFICATE_PATH and AZURE_CLIENT_CERTIFICATE_PASSWORD",
    () => ({
      ...ENV_BASE(),
      AZURE_CLIENT_ID: tenant.credential("azure-client-certificate")["clientId"],
      AZURE_CLIENT_CERTIFICATE_PATH: join(dir, "encrypted.pem"),
      AZURE_CLIENT_CERTIFICATE_PASSWORD: PASSWORD,
    }),
    "azure-client-certificate",
  ],
  [
    "AZURE_FEDERATED_TOKEN_FILE",
    () => ({
      ...ENV_BASE(),
      AZURE_CLIENT_ID: tenant.credential("azure-workload-identity")["clientId"],
      AZURE_FEDERATED_TOKEN_FILE: file("env-token", tenant.federatedToken()),
    }),
    "azure-workload-identity",
  ],
];

for (const [name, variables, kind] of envCases) {
  test(`from the environment (${name}): ${kind}, verify signs in at AZURE_AUTHORITY_HOST, reads a page and says which source`, async () => {
    const vars = variables();
    const credential = credentialFromEnvironment(vars);
    assert.equal(credential._tag, "Right");
    if (credential._tag !== "Right") return;
    assert.equal(credential.right.kind, kind);
    assert.equal(credential.right.authorityHost, tenant.authorityHost);
    assert.equal(credential.right.apiBaseUrl, tenant.apiBaseUrl);
    let text = "";
    const stream = { write: (s: string) => ((text += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
    const term: Terminal = { out: stream, err: stream };
    const saved = { ...process.env };
    Object.assign(process.env, vars);
    let code: number;
    try {
      code = await verifyCommand(defender365, { credential: "env:" }, env, term);
    } finally {
      for (const key of Object.keys(vars)) if (saved[key] === undefined) delete process.env[key];
    }
    lines.push(text);
    assert.match(text, /\(from the environment\)/);
    assert.match(
      text,
      new RegExp(
        kind === "azure-client-secret" ? "client secret" : kind === "azure-client-certificate" ? "certificate and key read from" : "workload identity",
      ),
    );
    assert.equal(code, EXIT.complete, text);
    assert.match(text, /API reached/);
  });
}

const envErrors: [string, Record<string, string>, string[]][] = [
  ["nothing set", {}, ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"]],
  [
    "no secret, certificate or token file",
    { AZURE_TENANT_ID: "11111111-2222-3333-4444-555555555555", AZURE_CLIENT_ID: "66666666-7777-8888-9999-000000000000" },
    ["AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"],
  ],
  [
    "a client id that is not a GUID",
    { AZURE_TENANT_ID: "11111111-2222-3333-4444-555555555555", AZURE_CLIENT_ID: "my-app", AZURE_CLIENT_SECRET: "s3cret-value-here" },
    ["AZURE_CLIENT_ID"],
  ],
  [
    "a plain-http authority host",
    {
      AZURE_TENANT_ID: "11111111-2222-3333-4444-555555555555",
      AZURE_CLIENT_ID: "66666666-7777-8888-9999-000000000000",
      AZURE_CLIENT_SECRET: "s3cret-value-here",
      AZURE_AUTHORITY_HOST: "http://login.example",
    },
    ["AZURE_AUTHORITY_HOST"],
  ],
];

for (const [name, vars, fields] of envErrors) {
  test(`from the environment, ${name}: the error names ${fields.join(", ")} and no value`, async () => {
    const { loadCredential } = await import("../../src/cli/inputs.js");
    const r = loadCredential("env:", vars);
    assert.equal(r._tag, "Left");
    if (r._tag !== "Left") return;
    assert.deepEqual(
      r.left.issues.map((i) => i.field),
      fields,
    );
    assert.ok(!JSON.stringify(r.left).includes("s3cret-value-here"));
  });
}

test("secrets scan: no secret, key, password, assertion or token in any log line (every namespace on), task event or verify output", () => {
  assert.ok(
    lines.some((l) => l.startsWith("scan-probes:auth:msal ")),
    "msal logged (verbose)",
  );
  const text = [...lines, ...events].join("\n");
  for (const secret of secrets) if (secret.length >= 6) assert.ok(!text.includes(secret), `found a secret starting ${secret.slice(0, 6)}…`);
  assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text), "no JWT");
});
