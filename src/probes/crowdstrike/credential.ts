/**
 * The `crowdstrike-api-client` credential: an API client of the Falcon console (Support and
 * resources › API clients and keys) with the `Hosts: Read` scope. Its `apiBaseUrl`, when
 * given, is where the secret may go besides the known Falcon API hosts. Errors name the
 * field and the fix, never a value.
 */
import * as t from "io-ts";
import type { CredentialKindSpec } from "../../contract.js";
import { httpsUrl } from "../../util/decode.js";

const HEX32 = /^[A-Fa-f0-9]{32}$/;

/** A string matching `pattern` (trimmed, lowercased when `lower`), else `fix`. */
const matching = (name: string, pattern: RegExp, fix: string, lower: boolean) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === "string" && pattern.test(u),
    (u, c) => (typeof u === "string" && pattern.test(u.trim()) ? t.success(lower ? u.trim().toLowerCase() : u.trim()) : t.failure(u, c, fix)),
    t.identity,
  );

const ClientId = matching("ClientId", HEX32, "expected the API client's Client ID: 32 hexadecimal characters, from Falcon › API clients and keys", true);

const ClientSecret = new t.Type<string, string, unknown>(
  "ClientSecret",
  (u): u is string => typeof u === "string" && u.length > 0,
  (u, c) =>
    typeof u === "string" && u.trim().length > 0 && !/\s/.test(u.trim())
      ? t.success(u.trim())
      : t.failure(u, c, "expected the API client's Secret, shown once when the client was created (create a new secret if it is lost)"),
  t.identity,
);

const MemberCid = matching(
  "MemberCid",
  /^[A-Fa-f0-9]{32}(-[A-Za-z0-9]{2})?$/,
  "expected the child CID (32 hexadecimal characters, optionally with its -XX checksum) of a Flight Control child, or leave it out",
  true,
);

/** The credential's codec: `kind`, `clientId`, `clientSecret`, optional `memberCid` and `apiBaseUrl`; other fields (an id, toggles) are ignored. */
export const FalconApiClientCodec = t.intersection(
  [
    t.type({ kind: t.literal("crowdstrike-api-client"), clientId: ClientId, clientSecret: ClientSecret }),
    t.partial({ memberCid: MemberCid, apiBaseUrl: httpsUrl("Falcon API base URL (where the secret may go)") }),
  ],
  "FalconApiClient",
);

/** A decoded Falcon API client credential. */
export type FalconApiClient = t.TypeOf<typeof FalconApiClientCodec>;

/** The environment variables {@link falconCredentialFromEnvironment} reads, by credential field. */
export const FALCON_CREDENTIAL_VARIABLES = {
  clientId: "FALCON_CLIENT_ID",
  clientSecret: "FALCON_CLIENT_SECRET",
  memberCid: "FALCON_MEMBER_CID",
  apiBaseUrl: "FALCON_API_BASE_URL",
} as const;

/**
 * A credential from `FALCON_CLIENT_ID` and `FALCON_CLIENT_SECRET` (optional
 * `FALCON_MEMBER_CID`, `FALCON_API_BASE_URL`); each problem names the variable, never its value.
 */
export const falconCredentialFromEnvironment = (env: Readonly<Record<string, string | undefined>>): t.Validation<FalconApiClient> => {
  const V = FALCON_CREDENTIAL_VARIABLES;
  const get = (name: string): string | undefined => {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const at = (key: string, message: string): t.ValidationError => ({
    value: undefined,
    context: [
      { key: "", type: t.unknown, actual: undefined },
      { key, type: t.string, actual: undefined },
    ],
    message,
  });
  const unset = [V.clientId, V.clientSecret].filter((name) => get(name) === undefined);
  if (unset.length > 0) return t.failures(unset.map((name) => at(name, "not set: the Falcon API client's Client ID and Secret are needed")));
  const raw = Object.fromEntries(
    Object.entries({
      kind: "crowdstrike-api-client",
      clientId: get(V.clientId),
      clientSecret: get(V.clientSecret),
      memberCid: get(V.memberCid),
      apiBaseUrl: get(V.apiBaseUrl),
    }).filter(([, value]) => value !== undefined),
  );
  const decoded = FalconApiClientCodec.decode(raw);
  if (decoded._tag === "Right") return decoded;
  const byField = new Map<string, string>(Object.entries(V));
  return t.failures(
    decoded.left.map((e) => ({ ...e, value: undefined, context: e.context.map((entry) => ({ ...entry, key: byField.get(entry.key) ?? entry.key })) })),
  );
};

/** The credential kind of the CrowdStrike probe. */
export const FALCON_API_CLIENT: CredentialKindSpec<FalconApiClient> = {
  kind: "crowdstrike-api-client",
  title: "Falcon API client (Hosts: Read)",
  codec: FalconApiClientCodec,
  fromEnvironment: falconCredentialFromEnvironment,
};
