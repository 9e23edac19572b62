/**
 * Credential kinds a probe may accept, decoded at the boundary. Decoding errors name the
 * field and the fix and never echo a value: these fields are secrets.
 */
import * as t from "io-ts";
import { httpsUrl } from "./decode.js";
import { CloudCodec } from "./probes/defender365/clouds.js";

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

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

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

/** An app registration with a client secret. */
export const AzureClientSecretCodec = t.intersection(
  [
    t.type({
      kind: t.literal("azure-client-secret"),
      ...azureCommon,
      clientSecret: secretString("expected the secret's Value (not its Secret ID) from Certificates & secrets"),
    }),
    azureDestination,
    azureSubscription,
  ],
  "AzureClientSecret",
);

/** An app registration with a certificate (Microsoft's recommendation over secrets). */
export const AzureClientCertificateCodec = t.intersection(
  [
    t.type({
      kind: t.literal("azure-client-certificate"),
      ...azureCommon,
      certificate: pem(PEM_CERT, "expected the PEM certificate uploaded to the app registration (-----BEGIN CERTIFICATE-----)"),
      privateKey: pem(PEM_KEY, "expected the PEM private key of that certificate, unencrypted (a 'PRIVATE KEY' block)"),
    }),
    azureDestination,
    azureSubscription,
  ],
  "AzureClientCertificate",
);

/** A credential with a client secret. */
export type AzureClientSecret = t.TypeOf<typeof AzureClientSecretCodec>;
/** A credential with a certificate. */
export type AzureClientCertificate = t.TypeOf<typeof AzureClientCertificateCodec>;
/** A decoded credential. */
export type Credential = AzureClientSecret | AzureClientCertificate;
/** The kind tag of a credential. */
export type CredentialKind = Credential["kind"];

/** Codec of each kind. A Map: `kind` is user input, and a plain object would answer `toString` or `__proto__`. */
const BY_KIND: ReadonlyMap<string, t.Decoder<unknown, Credential>> = new Map<CredentialKind, t.Decoder<unknown, Credential>>([
  ["azure-client-secret", AzureClientSecretCodec],
  ["azure-client-certificate", AzureClientCertificateCodec],
]);

/** Every credential kind, for `scan-probe list` and the engine's checks. */
export const CREDENTIAL_KINDS = [...BY_KIND.keys()] as readonly CredentialKind[];

/**
 * Decodes any credential: reads `kind` first, then checks only that kind's fields, so an
 * error names the fields of the kind the user meant.
 */
export const CredentialCodec = new t.Type<Credential, Credential, unknown>(
  "Credential",
  (u): u is Credential => AzureClientSecretCodec.is(u) || AzureClientCertificateCodec.is(u),
  (u, c) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, "expected a JSON object with a kind");
    const kind = (u as { kind?: unknown }).kind;
    const codec = typeof kind === "string" ? BY_KIND.get(kind) : undefined;
    if (codec === undefined) {
      return t.failures([
        { value: undefined, context: [...c, { key: "kind", type: t.string, actual: undefined }], message: `expected one of ${CREDENTIAL_KINDS.join(", ")}` },
      ]);
    }
    return codec.validate(u, t.appendContext(c, "", codec, u));
  },
  t.identity,
);

/** What a log may say about a credential: which fields are set, never their values (Azure SDK style). */
export const describeCredential = (credential: Credential): string =>
  [
    `${credential.kind} tenant=${credential.tenantId} client=${credential.clientId}`,
    credential.kind === "azure-client-secret" ? "clientSecret=<set>" : "certificate=<set> privateKey=<set>",
    ...(credential.cloud !== undefined ? [`cloud=${credential.cloud}`] : []),
    ...(credential.authorityHost !== undefined ? [`authorityHost=${credential.authorityHost}`] : []),
    ...(credential.apiBaseUrl !== undefined ? [`apiBaseUrl=${credential.apiBaseUrl}`] : []),
  ].join(" ");
