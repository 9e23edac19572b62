/**
 * The Azure credential kinds (Entra ID app registrations and managed identities), decoded at
 * the boundary; probes that read a Microsoft API list {@link AZURE_CREDENTIAL_KINDS} as
 * theirs. Decoding errors name the
 * field and the fix and never echo a value: these fields are secrets.
 *
 * | kind | what signs in |
 * |---|---|
 * | `azure-client-secret` | `clientSecret`, or the secret read from `clientSecretFile` |
 * | `azure-client-certificate` | `certificate` + `privateKey` (PEM), or `certificatePath` (one PEM file with both); `certificatePassword` for an encrypted key |
 * | `azure-workload-identity` | a federated token read from `federatedTokenFile` at every sign-in (it rotates) |
 * | `azure-managed-identity` | the host's managed identity (system-assigned, or user-assigned with `clientId`) |
 *
 * Files are named here and read at sign-in (`auth/credential-material.ts`), never by a probe.
 */
import * as t from "io-ts";
import type { CredentialKindSpec } from "../contract.js";
import { credentialCodecOf, fieldFailures, fieldsOf } from "../engine/credential-kinds.js";
import { httpsUrl } from "../util/decode.js";
import { CloudCodec } from "./clouds.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID, as Entra prints tenant and client ids. */
export const Guid = new t.Type<string, string, unknown>(
  "Guid",
  (u): u is string => typeof u === "string" && GUID.test(u),
  (u, c) =>
    typeof u === "string" && GUID.test(u.trim())
      ? t.success(u.trim().toLowerCase())
      : t.failure(u, c, "expected a GUID like 11111111-2222-3333-4444-555555555555 (copy it from the app registration's Overview page)"),
  t.identity,
);

/** A non-empty string whose value is never echoed in an error. */
const secretString = (fix: string) =>
  new t.Type<string, string, unknown>(
    "Secret",
    (u): u is string => typeof u === "string" && u.length > 0,
    (u, c) => (typeof u === "string" && u.trim().length > 0 ? t.success(u) : t.failure(u, c, fix)),
    t.identity,
  );

/** A file path (not read here). */
const filePath = (what: string) =>
  new t.Type<string, string, unknown>(
    "FilePath",
    (u): u is string => typeof u === "string" && u.length > 0,
    (u, c) => (typeof u === "string" && u.trim().length > 0 ? t.success(u.trim()) : t.failure(u, c, `expected the path of ${what}`)),
    t.identity,
  );

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

const pem = (pattern: RegExp, fix: string) =>
  new t.Type<string, string, unknown>(
    "Pem",
    (u): u is string => typeof u === "string" && pattern.test(u),
    (u, c) => (typeof u === "string" && pattern.test(u) ? t.success(u) : t.failure(u, c, fix)),
    t.identity,
  );

const azureCommon = {
  tenantId: Guid,
  clientId: Guid,
};

/**
 * Where this credential may be sent: its national cloud, and hosts of its own (a sovereign
 * mirror, a test tenant). Options may name only these hosts or the cloud preset's, so that
 * whoever edits a task's options cannot have the secret sent elsewhere.
 */
const azureDestination = t.partial({
  cloud: CloudCodec,
  authorityHost: httpsUrl("Entra ID authority host"),
  apiBaseUrl: httpsUrl("Defender API base URL"),
});

/** Fields the engine's Azure credential already carries; accepted, not used by Defender. */
const azureSubscription = t.partial({
  allSubscriptions: t.boolean,
  subscriptionId: t.union([t.string, t.null]),
  name: t.string,
  description: t.string,
});

/**
 * Exactly one of `fields` given (each present key decoded by its codec): the error names
 * the fields, so a user who gave both or neither knows which to keep.
 */
const oneOf = <A extends Record<string, unknown>>(name: string, codec: t.Decoder<unknown, A>, fields: readonly string[]) =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => codec.decode(u)._tag === "Right",
    (u, c) => {
      const o = fieldsOf(u);
      if (o === null) return t.failure(u, c, "expected a JSON object");
      const given = fields.filter((f) => Object.hasOwn(o, f) && o[f] !== undefined);
      if (given.length !== 1)
        return fieldFailures(c, fields, given.length === 0 ? `give one of ${fields.join(" or ")}` : `give only one of ${fields.join(" or ")}, not both`);
      return codec.validate(u, t.appendContext(c, "", codec as t.Decoder<unknown, A> & t.Mixed, u));
    },
    t.identity,
  );

/** An app registration with a client secret, given inline or in a file. */
export const AzureClientSecretCodec = oneOf(
  "AzureClientSecret",
  t.intersection([
    t.type({ kind: t.literal("azure-client-secret"), ...azureCommon }),
    t.partial({
      clientSecret: secretString("expected the secret's Value (not its Secret ID) from Certificates & secrets"),
      clientSecretFile: filePath("a file holding the secret's Value"),
    }),
    azureDestination,
    azureSubscription,
  ]),
  ["clientSecret", "clientSecretFile"],
);

const certificateFields = t.partial({
  certificate: pem(PEM_CERT, "expected the PEM certificate uploaded to the app registration (-----BEGIN CERTIFICATE-----)"),
  privateKey: pem(PEM_KEY, "expected the PEM private key of that certificate (a 'PRIVATE KEY' block; give certificatePassword when it is 'ENCRYPTED')"),
  certificatePath: filePath("one PEM file holding the certificate and its private key"),
  certificatePassword: secretString("expected the password of the encrypted private key (leave it out for an unencrypted key)"),
});

/** An app registration with a certificate (Microsoft's recommendation over secrets): inline PEM, or one PEM file. */
export const AzureClientCertificateCodec = new t.Type<AzureClientCertificate, AzureClientCertificate, unknown>(
  "AzureClientCertificate",
  (u): u is AzureClientCertificate => AzureClientCertificateFields.is(u),
  (u, c) => {
    const o = fieldsOf(u);
    if (o === null) return t.failure(u, c, "expected a JSON object");
    const inline = ["certificate", "privateKey"].filter((f) => o[f] !== undefined);
    const fromFile = o["certificatePath"] !== undefined;
    if (fromFile && inline.length > 0) return fieldFailures(c, inline, "leave it out: certificatePath is given");
    if (!fromFile && inline.length < 2)
      return fieldFailures(
        c,
        ["certificate", "privateKey"].filter((f) => o[f] === undefined),
        "give certificate and privateKey (PEM), or certificatePath (one PEM file with both)",
      );
    return AzureClientCertificateFields.validate(u, t.appendContext(c, "", AzureClientCertificateFields, u));
  },
  t.identity,
);

const AzureClientCertificateFields = t.intersection([
  t.type({ kind: t.literal("azure-client-certificate"), ...azureCommon }),
  certificateFields,
  azureDestination,
  azureSubscription,
]);

/**
 * Workload identity federation (Kubernetes, GitHub Actions…): the app registration trusts
 * tokens of an outside issuer; the platform writes one to `federatedTokenFile` and
 * replaces it before it expires, so it is read again at every sign-in.
 */
export const AzureWorkloadIdentityCodec = t.intersection(
  [
    t.type({
      kind: t.literal("azure-workload-identity"),
      ...azureCommon,
      federatedTokenFile: filePath("the federated token file (AZURE_FEDERATED_TOKEN_FILE)"),
    }),
    azureDestination,
    azureSubscription,
  ],
  "AzureWorkloadIdentity",
);

/**
 * The managed identity of the host this runs on (App Service, Functions, Container Apps…):
 * system-assigned, or user-assigned when `clientId` is given. `tenantId` is the tenant whose
 * Defender is read. msal-node finds the identity endpoint in the host's variables
 * (IDENTITY_ENDPOINT and IDENTITY_HEADER, or MSI_ENDPOINT); it reads them itself.
 */
export const AzureManagedIdentityCodec = t.intersection(
  [t.type({ kind: t.literal("azure-managed-identity"), tenantId: Guid }), t.partial({ clientId: Guid }), azureDestination, azureSubscription],
  "AzureManagedIdentity",
);

/** A credential with a client secret. */
export type AzureClientSecret = t.TypeOf<typeof AzureClientSecretCodec>;
/** A credential with a certificate. */
export type AzureClientCertificate = t.TypeOf<typeof AzureClientCertificateFields>;
/** A credential that signs in with a federated token from a file. */
export type AzureWorkloadIdentity = t.TypeOf<typeof AzureWorkloadIdentityCodec>;
/** A credential that signs in as the host's managed identity. */
export type AzureManagedIdentity = t.TypeOf<typeof AzureManagedIdentityCodec>;
/** A decoded credential. */
export type Credential = AzureClientSecret | AzureClientCertificate | AzureWorkloadIdentity | AzureManagedIdentity;
/** The kind tag of a credential. */
export type CredentialKind = Credential["kind"];

/** One reader for the kinds the AZURE_* variables can build (managed identity needs none: it is the host's). */
const fromEnvironment = (env: Readonly<Record<string, string | undefined>>): t.Validation<Credential> => credentialFromEnvironment(env);

/**
 * The Azure credential kinds, each with its codec: what a probe that signs in with Entra ID
 * lists as its `credentialKinds`.
 */
export const AZURE_CREDENTIAL_KINDS: readonly CredentialKindSpec<Credential>[] = [
  { kind: "azure-client-secret", title: "app registration with a client secret", codec: AzureClientSecretCodec, fromEnvironment },
  { kind: "azure-client-certificate", title: "app registration with a certificate", codec: AzureClientCertificateCodec, fromEnvironment },
  { kind: "azure-workload-identity", title: "workload identity federation (a federated token file)", codec: AzureWorkloadIdentityCodec, fromEnvironment },
  { kind: "azure-managed-identity", title: "the host's managed identity", codec: AzureManagedIdentityCodec },
];

/** Every Azure credential kind's name, for `scan-probe list` and the engine's checks. */
export const CREDENTIAL_KINDS = AZURE_CREDENTIAL_KINDS.map((spec) => spec.kind) as readonly CredentialKind[];

/**
 * Decodes any Azure credential: reads `kind` first, then checks only that kind's fields, so
 * an error names the fields of the kind the user meant.
 */
export const CredentialCodec: t.Type<Credential, Credential, unknown> = credentialCodecOf(AZURE_CREDENTIAL_KINDS, "Credential");

/** The app (client) id a credential signs in as, `system-assigned` for a managed identity without one (budgets and logs key on it). */
export const clientIdOf = (credential: Credential): string => credential.clientId ?? "system-assigned";

/** What signs in, in words, for `verify` and logs: the source, never a value. */
export const describeSource = (credential: Credential): string => {
  switch (credential.kind) {
    case "azure-client-secret":
      return credential.clientSecretFile !== undefined ? `client secret read from ${credential.clientSecretFile}` : "client secret (in the credential)";
    case "azure-client-certificate":
      return (
        (credential.certificatePath !== undefined ? `certificate and key read from ${credential.certificatePath}` : "certificate and key (in the credential)") +
        (credential.certificatePassword !== undefined ? ", key decrypted with certificatePassword" : "")
      );
    case "azure-workload-identity":
      return `workload identity federation: token read from ${credential.federatedTokenFile} at every sign-in`;
    case "azure-managed-identity":
      return credential.clientId !== undefined ? `user-assigned managed identity ${credential.clientId}` : "system-assigned managed identity";
  }
};

/** What sign-in sends to the authority host, in words; null for a managed identity (the host's endpoint signs in). */
export const whatIsSent = (credential: Credential): string | null =>
  credential.kind === "azure-client-secret"
    ? "the client secret"
    : credential.kind === "azure-client-certificate"
      ? "an assertion signed with the certificate's key"
      : credential.kind === "azure-workload-identity"
        ? "the federated token"
        : null;

/** What a log may say about a credential: which fields are set, never their values (Azure SDK style). */
export const describeCredential = (credential: Credential): string => {
  const set = (field: string, value: unknown) => (value !== undefined ? [`${field}=<set>`] : []);
  const shown = (field: string, value: string | undefined) => (value !== undefined ? [`${field}=${value}`] : []);
  const c = credential as unknown as Partial<Record<string, string>>;
  return [
    `${credential.kind} tenant=${credential.tenantId} client=${clientIdOf(credential)}`,
    ...set("clientSecret", c["clientSecret"]),
    ...shown("clientSecretFile", c["clientSecretFile"]),
    ...set("certificate", c["certificate"]),
    ...set("privateKey", c["privateKey"]),
    ...shown("certificatePath", c["certificatePath"]),
    ...set("certificatePassword", c["certificatePassword"]),
    ...shown("federatedTokenFile", c["federatedTokenFile"]),
    ...shown("cloud", credential.cloud),
    ...shown("authorityHost", credential.authorityHost),
    ...shown("apiBaseUrl", credential.apiBaseUrl),
  ].join(" ");
};

/** The variables {@link credentialFromEnvironment} reads (Azure SDK `EnvironmentCredential`'s names). */
export const CREDENTIAL_VARIABLES = {
  tenantId: "AZURE_TENANT_ID",
  clientId: "AZURE_CLIENT_ID",
  clientSecret: "AZURE_CLIENT_SECRET",
  certificatePath: "AZURE_CLIENT_CERTIFICATE_PATH",
  certificatePassword: "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  federatedTokenFile: "AZURE_FEDERATED_TOKEN_FILE",
  authorityHost: "AZURE_AUTHORITY_HOST",
  apiBaseUrl: "SCAN_PROBES_DEFENDER_API_BASE_URL",
} as const;

/**
 * A credential from environment variables, as the Azure SDK reads them: AZURE_TENANT_ID and
 * AZURE_CLIENT_ID, then AZURE_CLIENT_SECRET (a secret), else AZURE_CLIENT_CERTIFICATE_PATH
 * (one PEM file with certificate and key; AZURE_CLIENT_CERTIFICATE_PASSWORD if encrypted),
 * else AZURE_FEDERATED_TOKEN_FILE (workload identity). AZURE_AUTHORITY_HOST names the
 * credential's authority host, SCAN_PROBES_DEFENDER_API_BASE_URL its API host (a mirror
 * or a test tenant; the Azure SDK has no variable for it). Called by the CLI (`--credential env:`) or an engine with
 * the variables it chooses to pass; never by a probe. Errors name the variable, never a value.
 */
export const credentialFromEnvironment = (env: Readonly<Record<string, string | undefined>>): t.Validation<Credential> => {
  const V = CREDENTIAL_VARIABLES;
  const get = (name: string): string | undefined => {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const missing = (names: readonly string[], problem: string): t.Validation<Credential> =>
    t.failures(
      names.map((key) => ({
        value: undefined,
        context: [
          { key: "", type: t.unknown, actual: undefined },
          { key, type: t.string, actual: undefined },
        ],
        message: problem,
      })),
    );
  const common = { tenantId: get(V.tenantId), clientId: get(V.clientId), authorityHost: get(V.authorityHost), apiBaseUrl: get(V.apiBaseUrl) };
  const unset = [V.tenantId, V.clientId].filter((name) => get(name) === undefined);
  if (unset.length > 0) return missing(unset, "not set: the app registration's Directory (tenant) ID and Application (client) ID are needed");
  let raw: Record<string, unknown>;
  if (get(V.clientSecret) !== undefined) raw = { kind: "azure-client-secret", ...common, clientSecret: get(V.clientSecret) };
  else if (get(V.certificatePath) !== undefined)
    raw = { kind: "azure-client-certificate", ...common, certificatePath: get(V.certificatePath), certificatePassword: get(V.certificatePassword) };
  else if (get(V.federatedTokenFile) !== undefined) raw = { kind: "azure-workload-identity", ...common, federatedTokenFile: get(V.federatedTokenFile) };
  else
    return missing(
      [V.clientSecret, V.certificatePath, V.federatedTokenFile],
      `none set: set ${V.clientSecret}, or ${V.certificatePath} (a PEM file with certificate and key), or ${V.federatedTokenFile} (workload identity)`,
    );
  const decoded = CredentialCodec.decode(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (decoded._tag === "Right") return decoded;
  // Name the variable, not the credential field.
  const byField = new Map<string, string>(Object.entries(V));
  return t.failures(
    decoded.left.map((e) => ({
      ...e,
      value: undefined,
      context: e.context.map((entry) => ({ ...entry, key: byField.get(entry.key) ?? entry.key })),
    })),
  );
};
