/**
 * Sign-in with an app registration: msal-node's ConfidentialClientApplication, client
 * credentials flow, one application per credential per run so its token cache serves
 * every page. msal is wrapped here and nowhere else.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/exposed-apis-create-app-webapp
 */
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { ConfidentialClientApplication, LogLevel, type Configuration, type NodeSystemOptions } from "@azure/msal-node";
import type { Got } from "got";
import * as TE from "fp-ts/lib/TaskEither.js";
import type { TaskEither } from "fp-ts/lib/TaskEither.js";
import type { Credential } from "../credentials.js";
import { describeCredential } from "../credentials.js";
import type { AuthError } from "../errors.js";
import type { Logger } from "../contract.js";
import { classifyMsalError } from "./classify.js";
import { createMsalNetworkModule, type AuthorityCounters } from "./network-module.js";
import { readTokenClaims, type TokenClaims } from "./token-claims.js";
import { redact } from "../redact.js";

/** What to sign in with and for. */
export interface SignInRequest {
  readonly credential: Credential;
  /** `https://login.microsoftonline.com` or another authority host. */
  readonly authorityHost: string;
  /** `<resource>/.default`. */
  readonly scope: string;
}

/** An access token and what it grants. `token` must never be logged or shown. */
export interface AccessToken {
  readonly token: string;
  readonly expiresOn: Date | null;
  readonly claims: TokenClaims;
}

/** Tokens for one credential and scope, cached for the run. */
export interface TokenProvider {
  /** A token from the cache, or a new one; `forceRefresh` skips the cache (after a 401). */
  getToken(options?: { readonly forceRefresh?: boolean }): TaskEither<AuthError, AccessToken>;
  /** Calls made to the authority so far (metadata and token requests). */
  readonly authorityRequests: () => number;
  /** Strings that must never appear in output: the secret, the key and every token issued. */
  readonly secrets: () => readonly string[];
}

/** Makes a {@link TokenProvider} for one run. Environments supply one; tests may supply their own. */
export type TokenProviderFactory = (request: SignInRequest) => TokenProvider;

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

/** Checks a certificate credential locally: readable PEM, and the key belongs to the certificate. */
export const checkCertificate = (certificate: string, privateKey: string): { thumbprintSha256: string } | AuthError => {
  try {
    const cert = new X509Certificate(certificate);
    const key = createPrivateKey(privateKey);
    const fromKey = createPublicKey(key).export({ type: "spki", format: "der" });
    const fromCert = cert.publicKey.export({ type: "spki", format: "der" });
    if (!fromKey.equals(fromCert)) {
      return {
        _tag: "AuthError",
        code: "ERR_AUTH_CERTIFICATE_INVALID",
        message: "The private key does not belong to the certificate.",
        hint: "Export the certificate and its own private key together (PEM), and upload that certificate to the app registration.",
      };
    }
    if (Date.parse(cert.validTo) < Date.now()) {
      return {
        _tag: "AuthError",
        code: "ERR_AUTH_CERTIFICATE_INVALID",
        message: `The certificate expired on ${cert.validTo}.`,
        hint: "Create a new certificate, upload it to the app registration and update the credential.",
      };
    }
    return { thumbprintSha256: cert.fingerprint256.replace(/:/g, "") };
  } catch {
    return {
      _tag: "AuthError",
      code: "ERR_AUTH_CERTIFICATE_INVALID",
      message: "The certificate or private key could not be read.",
      hint: "Give both as PEM text; the private key unencrypted (a PKCS#8 or PKCS#1 'PRIVATE KEY' block, not 'ENCRYPTED').",
    };
  }
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

/**
 * The msal-backed factory. All calls go through `http` (CA, timeouts, proxy). msal's
 * own logs go to `scan-probes:auth:msal` (see {@link msalLoggerOptions}).
 */
export const msalTokenProviderFactory =
  (http: Got, log: Logger): TokenProviderFactory =>
  ({ credential, authorityHost, scope }) => {
    const debug = log("scan-probes:auth");
    const counters: AuthorityCounters = { requests: 0 };
    const issued: string[] = [];
    const baseSecrets = credential.kind === "azure-client-secret" ? [credential.clientSecret] : [credential.privateKey];
    const secrets = () => [...baseSecrets, ...issued];
    const auth = authorityConfig(authorityHost, credential.tenantId);
    const authority = auth.authority ?? authorityHost;

    let app: ConfidentialClientApplication | AuthError | undefined;
    const application = (): ConfidentialClientApplication | AuthError => {
      if (app !== undefined) return app;
      let secretOrCertificate: Pick<Configuration["auth"], "clientSecret" | "clientCertificate">;
      if (credential.kind === "azure-client-secret") {
        secretOrCertificate = { clientSecret: credential.clientSecret };
      } else {
        const checked = checkCertificate(credential.certificate, credential.privateKey);
        if ("_tag" in checked) return (app = checked);
        secretOrCertificate = { clientCertificate: { thumbprintSha256: checked.thumbprintSha256, privateKey: credential.privateKey } };
      }
      debug("sign-in app for %s at %s", describeCredential(credential), authority);
      app = new ConfidentialClientApplication({
        auth: { clientId: credential.clientId, ...auth, ...secretOrCertificate },
        system: {
          networkClient: createMsalNetworkModule(http, counters),
          loggerOptions: msalLoggerOptions(log, secrets),
        },
      });
      return app;
    };

    return {
      authorityRequests: () => counters.requests,
      secrets,
      getToken: (options = {}) => {
        const cca = application();
        if (!(cca instanceof ConfidentialClientApplication)) return TE.left(cca);
        return TE.tryCatch(
          async () => {
            const result = await cca.acquireTokenByClientCredential({ scopes: [scope], skipCache: options.forceRefresh === true });
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
            const classified = classifyMsalError(error, authority, secrets());
            debug("sign-in failed: %s", classified.code);
            return classified;
          },
        );
      },
    };
  };
