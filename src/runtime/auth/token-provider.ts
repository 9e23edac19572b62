/**
 * Sign-in with an app registration: msal-node's ConfidentialClientApplication, client
 * credentials flow, one application per credential per run so its token cache serves
 * every page. msal is wrapped here and nowhere else.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/exposed-apis-create-app-webapp
 */
import { readFile } from "node:fs/promises";
import {
  ConfidentialClientApplication,
  LogLevel,
  ManagedIdentityApplication,
  ManagedIdentitySourceNames,
  type AuthenticationResult,
  type Configuration,
  type NodeSystemOptions,
} from "@azure/msal-node";
import type { Got } from "got";
import * as TE from "fp-ts/lib/TaskEither.js";
import type { Credential } from "../../azure/credentials.js";
import { AZURE_CREDENTIAL_KINDS, clientIdOf, describeCredential } from "../../azure/credentials.js";
import type { AuthError } from "../../engine/errors.js";
import type { Logger, TokenProviderFactory } from "../../contract.js";
import { classifyMsalError } from "./classify.js";
import { createMsalNetworkModule, type AuthorityCounters } from "./network-module.js";
import { readTokenClaims } from "./token-claims.js";
import { redact } from "../../util/redact.js";
import { loadMaterial, SourceFailure, type LoadedMaterial, type ReadTextFile } from "./credential-material.js";

export { checkCertificate } from "./credential-material.js";
export type { AccessToken, SignInRequest, TokenProvider, TokenProviderFactory } from "../../contract.js";

/** Authority hosts whose metadata msal-node has built in (no discovery call is made for them). */
const MSAL_KNOWN_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.microsoft.com", "login.windows.net"]);

/**
 * Authority settings. For a host msal does not know (a sovereign mirror, a test tenant),
 * `knownAuthorities` and `authorityMetadata` are set so that msal never asks
 * login.microsoftonline.com for instance discovery and sends only the token POST.
 */
export const authorityConfig = (
  authorityHost: string,
  tenantId: string,
): Pick<Configuration["auth"], "authority" | "knownAuthorities" | "authorityMetadata"> => {
  const url = new URL(authorityHost);
  const authority = `${url.origin}/${tenantId}`;
  if (MSAL_KNOWN_HOSTS.has(url.hostname)) return { authority };
  return {
    authority,
    knownAuthorities: [url.host],
    authorityMetadata: JSON.stringify({
      issuer: `${authority}/v2.0`,
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
  };
};

/** The namespace msal's own log lines go to. */
export const MSAL_LOG_NAMESPACE = "scan-probes:auth:msal";

/**
 * msal's logger settings: its lines go to {@link MSAL_LOG_NAMESPACE}, every one passed
 * through `redact` with the run's secrets (the client secret or key, assertions, every
 * token issued), PII logging off. Verbose when that namespace is enabled (a `debug`
 * logger's `enabled`, e.g. `DEBUG=scan-probes:*`), else warnings and errors only.
 */
export const msalLoggerOptions = (log: Logger, secrets: () => readonly string[]): NonNullable<NodeSystemOptions["loggerOptions"]> => {
  const msalLog = log(MSAL_LOG_NAMESPACE);
  const enabled = (msalLog as { enabled?: unknown }).enabled === true;
  return {
    logLevel: enabled ? LogLevel.Verbose : LogLevel.Warning,
    piiLoggingEnabled: false,
    loggerCallback: (_level, message) => msalLog("%s", redact(message, secrets())),
  };
};

/** The Azure credential kinds, by name. */
const AZURE_KINDS: ReadonlySet<unknown> = new Set(AZURE_CREDENTIAL_KINDS.map((spec) => spec.kind));

/** True for a decoded credential of an Azure kind. */
const isAzureCredential = (credential: unknown): credential is Credential =>
  typeof credential === "object" && credential !== null && AZURE_KINDS.has((credential as { kind?: unknown }).kind);

/**
 * The msal-backed factory. All calls go through `http` (CA, timeouts, proxy). msal's
 * own logs go to `scan-probes:auth:msal` (see {@link msalLoggerOptions}). Files a
 * credential names are read with `read` when the first token is asked for (the federated
 * token file at every sign-in: it rotates).
 */
export const msalTokenProviderFactory =
  (http: Got, log: Logger, read: ReadTextFile = (path) => readFile(path, "utf8")): TokenProviderFactory =>
  ({ credential: given, authorityHost, scope }) => {
    // Only a probe's own code calls this, with a credential its codecs decoded: another kind here is a programming error.
    if (!isAzureCredential(given)) throw new TypeError("Entra ID sign-in takes an Azure credential kind.");
    const credential = given;
    const debug = log("scan-probes:auth");
    const counters: AuthorityCounters = { requests: 0 };
    const issued: string[] = [];
    let loaded: LoadedMaterial | undefined;
    const secrets = () => [...(loaded?.secrets ?? []), ...issued];
    const auth = authorityConfig(authorityHost, credential.tenantId);
    const authority = auth.authority ?? authorityHost;

    /** Asks msal for a token; `forceRefresh` skips its cache. */
    type Acquire = (forceRefresh: boolean) => Promise<AuthenticationResult | null>;
    let app: Promise<Acquire | AuthError> | undefined;
    const build = async (): Promise<Acquire | AuthError> => {
      const material = await loadMaterial(credential, read);
      if ("_tag" in material) return material;
      loaded = material;
      const system = { networkClient: createMsalNetworkModule(http, counters), loggerOptions: msalLoggerOptions(log, secrets) };
      let how: Pick<Configuration["auth"], "clientSecret" | "clientCertificate" | "clientAssertion">;
      switch (material.material.kind) {
        case "secret":
          how = { clientSecret: material.material.clientSecret };
          break;
        case "certificate":
          how = { clientCertificate: { thumbprintSha256: material.material.thumbprintSha256, privateKey: material.material.privateKey } };
          break;
        case "assertion": {
          const readAssertion = material.material.read;
          how = {
            clientAssertion: async () => {
              const assertion = await readAssertion();
              if (!issued.includes(assertion)) issued.push(assertion); // redacted like a token from now on
              return assertion;
            },
          };
          break;
        }
        case "managed-identity":
          return managedIdentity(material.material.clientId, system);
      }
      debug("sign-in app for %s at %s", describeCredential(credential), authority);
      const cca = new ConfidentialClientApplication({ auth: { clientId: clientIdOf(credential), ...auth, ...how }, system });
      return (forceRefresh) => cca.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
    };
    /** msal's managed identity client; the endpoint is the host's (msal reads IDENTITY_ENDPOINT and kin from process.env). */
    const managedIdentity = (clientId: string | undefined, system: NodeSystemOptions): Acquire | AuthError => {
      const mia = new ManagedIdentityApplication({
        ...(clientId !== undefined ? { managedIdentityIdParams: { userAssignedClientId: clientId } } : {}),
        system,
      });
      const source = mia.getManagedIdentitySource();
      debug("managed identity for %s via %s", describeCredential(credential), source);
      if (source === ManagedIdentitySourceNames.DEFAULT_TO_IMDS) {
        return {
          _tag: "AuthError",
          code: "ERR_CREDENTIAL_SOURCE",
          message: "No managed identity endpoint: IDENTITY_ENDPOINT and IDENTITY_HEADER (or MSI_ENDPOINT) are not set on this host.",
          hint: "Run on a host with a managed identity turned on (App Service, Functions, Container Apps), or use another credential kind. The Azure VM endpoint (IMDS) is plain http and is not used.",
        };
      }
      const resource = scope.replace(/\/\.default$/, "");
      return async (forceRefresh) => {
        try {
          return await mia.acquireToken({ resource, forceRefresh });
        } catch (error) {
          throw new SourceFailure(managedIdentityError(error, clientId));
        }
      };
    };
    /** An msal error from the managed identity endpoint: Entra's advice when it carries an AADSTS code, else the endpoint's own message. */
    const managedIdentityError = (error: unknown, clientId: string | undefined): AuthError => {
      const classified = classifyMsalError(error, "the managed identity endpoint", secrets());
      if (classified.code !== "ERR_AUTH_REJECTED" || classified.aadsts !== undefined) return classified;
      const said = (error as { errorMessage?: unknown }).errorMessage;
      const detail = typeof said === "string" ? redact(said, secrets()).split(/\r?\n/)[0]?.slice(0, 300) : undefined;
      return {
        _tag: "AuthError",
        code: "ERR_AUTH_REJECTED",
        message: `The managed identity endpoint refused the sign-in${detail ? `: ${detail}` : "."}`,
        hint:
          clientId !== undefined
            ? `Assign the user-assigned identity ${clientId} to this host, or leave clientId out for the system-assigned one.`
            : "Turn the system-assigned identity on for this host, or give the clientId of a user-assigned one.",
      };
    };
    const application = (): Promise<Acquire | AuthError> => (app ??= build());

    return {
      authorityRequests: () => counters.requests,
      secrets,
      getToken: (options = {}) =>
        TE.tryCatch(
          async () => {
            const acquire = await application();
            if (typeof acquire !== "function") throw new SourceFailure(acquire);
            const result = await acquire(options.forceRefresh === true);
            if (!result?.accessToken) throw Object.assign(new Error("no token in the answer"), { errorCode: "token_parsing_error" });
            if (!issued.includes(result.accessToken)) issued.push(result.accessToken);
            const claims = readTokenClaims(result.accessToken);
            debug(
              "token %s (roles: %s, expires %s)",
              result.fromCache ? "from cache" : "issued",
              claims.roles.join(",") || "none",
              result.expiresOn?.toISOString() ?? "?",
            );
            return { token: result.accessToken, expiresOn: result.expiresOn ?? null, claims };
          },
          (error) => {
            const classified = error instanceof SourceFailure ? error.error : classifyMsalError(error, authority, secrets());
            debug("sign-in failed: %s", classified.code);
            return classified;
          },
        ),
    };
  };
