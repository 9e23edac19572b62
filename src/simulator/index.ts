/**
 * A simulated Microsoft tenant for tests, demos and benchmarks: one HTTPS origin on
 * 127.0.0.1 serving Entra ID (OpenID configuration, client-credentials tokens) and the
 * Defender for Endpoint machines API over a seeded, generated device inventory, with a
 * certificate authority made at start, a rate limiter, live counters and injectable faults.
 *
 * ```ts
 * const tenant = await startSimulatedTenant({ devices: 500 });
 * const got = gotBase.extend({ https: { certificateAuthority: tenant.caPem } });
 * // authority: `${tenant.authorityHost}/${tenant.tenantId}`, API: `${tenant.apiBaseUrl}/api/machines`
 * await tenant.close();
 * ```
 *
 * Facts modelled: /work/shared/reference/defender-api.md (§1 auth, §3 machines, §4 OData,
 * §5 throttling and errors, §7 quirks).
 */
import { makeSigningKey, makeTlsMaterial } from "./ca.js";
import { defaultClients, registerClients } from "./clients.js";
import type { FaultPlan } from "./faults.js";
import { FaultCursor } from "./faults.js";
import { generateTenant } from "./generate.js";
import type { SimulatedClient, SimulatorOptions } from "./options.js";
import { resolveOptions } from "./options.js";
import { PageCache } from "./page-cache.js";
import { RateLimiter } from "./rate-limiter.js";
import { startServer } from "./server.js";
import type { TenantState } from "./state.js";
import type { SimulatorStats } from "./stats.js";
import { emptyStats, resetStats } from "./stats.js";
import { TokenIssuer } from "./tokens.js";
import { TenantView } from "./view.js";

export type { SimulatedClient, SimulatorOptions } from "./options.js";
export type { ApiFault, CommonFault, ApiOnlyFault, TokenOnlyFault, FaultPlan, FaultTiming, TokenFault } from "./faults.js";
export type { AppliedFault, RequestLogEntry, SimulatorStats } from "./stats.js";
export { generateTenant, verdictOf } from "./generate.js";
export type { AssetClass, AssetStory, AssetTruth, DeviceClass, EdrVerdict, GeneratedTenant, GenerateOptions, ScannedAssetJson, Truth } from "./generate.js";
export type { VerdictInput } from "./gen/truth.js";
export { MDE_RESOURCES, XDR_RESOURCE, FEDERATION_AUDIENCE } from "./entra.js";
import { FEDERATION_AUDIENCE, MANAGED_IDENTITY_PATH } from "./entra.js";
import { randomBytes } from "node:crypto";
import { signRs256 } from "./jwt.js";

/** Kinds of credential `credential()` can build. */
export type SimulatedCredentialKind = "azure-client-secret" | "azure-client-certificate" | "azure-workload-identity" | "azure-managed-identity";

/** What `federatedToken()` mints; every field has a default. */
export interface FederatedTokenOptions {
  /** `sub`. Default: the first workload-identity client's subject. */
  readonly subject?: string;
  /** `aud`. Default `api://AzureADTokenExchange`. */
  readonly audience?: string;
  /** `exp − iat`, seconds; negative for a token already expired. Default 3600. */
  readonly lifetimeSeconds?: number;
}

/** A running simulated tenant. */
export interface SimulatedTenant {
  /** `https://127.0.0.1:PORT`. */
  readonly origin: string;
  /** Entra authority host (= origin); the authority is `${authorityHost}/${tenantId}`. */
  readonly authorityHost: string;
  /** Defender API base (= origin); machines at `${apiBaseUrl}/api/machines`. */
  readonly apiBaseUrl: string;
  /** PEM of the CA that signed the server certificate: trust it (got `https.certificateAuthority`, or NODE_EXTRA_CA_CERTS for a child process). */
  readonly caPem: string;
  readonly tenantId: string;
  /** App registrations, including generated secrets and certificates. */
  readonly clients: readonly SimulatedClient[];
  /**
   * A credential JSON for the scan-probes CLI from the first client of that kind, naming
   * this tenant's hosts (where the secret may go belongs to the credential):
   * `{ kind: "azure-client-secret", tenantId, clientId, clientSecret, authorityHost, apiBaseUrl }`
   * (default) or `{ kind: "azure-client-certificate", tenantId, clientId, certificate, privateKey, authorityHost, apiBaseUrl }`.
   * Throws when no client of that kind (with a private key, for certificates) exists.
   */
  credential(kind?: SimulatedCredentialKind): Record<string, string>;
  /**
   * The variables a host with a managed identity has (App Service / Functions shape):
   * IDENTITY_ENDPOINT (this tenant's `/msi/token`) and IDENTITY_HEADER. msal-node reads them
   * from `process.env`; the endpoint is https, so trust `caPem`.
   */
  readonly managedIdentityEnvironment: { readonly IDENTITY_ENDPOINT: string; readonly IDENTITY_HEADER: string };
  /** Issuer (`iss`) of the tenant's simulated workload platform (a Kubernetes cluster's OIDC issuer, say). */
  readonly federationIssuer: string;
  /**
   * A token of that platform, as it would project into AZURE_FEDERATED_TOKEN_FILE: RS256,
   * signed by a key the simulated Entra trusts for apps with a `federatedSubject`.
   * `azure-workload-identity` credentials from `credential()` need a file holding one.
   */
  federatedToken(options?: FederatedTokenOptions): string;
  /** Live counters (updated in place). */
  readonly stats: SimulatorStats;
  /** The fault plan. Assigning a plan restarts its request counters; an invalid plan throws TypeError. */
  faults: FaultPlan;
  /** Every token issued so far becomes invalid (the API answers 401). */
  revokeTokens(): void;
  /** The current listing in id order (builds every record: for small tenants and tests). */
  machines(): readonly Record<string, unknown>[];
  /** Zeroes the counters. */
  resetStats(): void;
  /** Forgets the rate limiter's recorded calls. */
  resetRateLimit(): void;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

const credentialOf = (tenantId: string, origin: string, clients: readonly SimulatedClient[], kind: SimulatedCredentialKind): Record<string, string> => ({
  ...secretPartOf(tenantId, clients, kind),
  authorityHost: origin,
  apiBaseUrl: origin,
});

const secretPartOf = (tenantId: string, clients: readonly SimulatedClient[], kind: SimulatedCredentialKind): Record<string, string> => {
  if (kind === "azure-managed-identity") return { kind, tenantId }; // system-assigned; add clientId for a user-assigned one
  if (kind === "azure-workload-identity") {
    const c = clients.find((x) => x.federatedSubject !== undefined);
    if (c === undefined) throw new Error("the simulated tenant has no client with a federated credential");
    return { kind, tenantId, clientId: c.clientId };
  }
  if (kind === "azure-client-secret") {
    const c = clients.find((x) => x.clientSecret !== undefined && x.secretExpired !== true) ?? clients.find((x) => x.clientSecret !== undefined);
    if (c?.clientSecret === undefined) throw new Error("the simulated tenant has no client with a secret");
    return { kind, tenantId, clientId: c.clientId, clientSecret: c.clientSecret };
  }
  const c = clients.find((x) => x.certificatePem !== undefined && x.privateKeyPem !== undefined);
  if (c?.certificatePem === undefined || c.privateKeyPem === undefined)
    throw new Error("the simulated tenant has no client with a certificate and its private key");
  return { kind, tenantId, clientId: c.clientId, certificate: c.certificatePem, privateKey: c.privateKeyPem };
};

/**
 * Starts a simulated tenant (about 0.1–0.5 s: key generation). Throws TypeError on an
 * invalid option, or the listen error (e.g. EADDRINUSE for a fixed port).
 */
export async function startSimulatedTenant(options: SimulatorOptions = {}): Promise<SimulatedTenant> {
  const resolved = resolveOptions(options);
  const [tls, signing, federationKey, clients] = await Promise.all([
    makeTlsMaterial(resolved.tenantId),
    makeSigningKey(),
    makeSigningKey(),
    options.clients !== undefined ? Promise.resolve(options.clients.map((c) => ({ ...c, roles: [...c.roles] }))) : defaultClients(resolved.tenantId),
  ]);
  const generated = generateTenant({ seed: resolved.seed, devices: resolved.devices, now: resolved.now });
  const issuer = new TokenIssuer(resolved.tenantId, signing.privateKey, signing.publicKey);
  const limiter = resolved.rateLimit === false ? null : new RateLimiter(resolved.rateLimit.perMinute, resolved.rateLimit.perHour);
  const shutdown = new AbortController();
  const state: TenantState = {
    options: resolved,
    clients: registerClients(clients),
    issuer,
    identityHeader: randomBytes(16).toString("hex"),
    federation: { issuer: `https://oidc.simulated.example/${resolved.tenantId}`, ...federationKey },
    view: new TenantView(generated),
    limiter,
    stats: emptyStats(),
    pageCache: resolved.pageCache ? new PageCache() : null,
    closing: shutdown.signal,
  };
  let cursor = new FaultCursor({ api: [], token: [] });
  const server = await startServer(state, tls, () => cursor, shutdown);
  return {
    origin: server.origin,
    authorityHost: server.origin,
    apiBaseUrl: server.origin,
    caPem: tls.caPem,
    tenantId: resolved.tenantId,
    clients,
    credential: (kind = "azure-client-secret") => credentialOf(resolved.tenantId, server.origin, clients, kind),
    federationIssuer: state.federation.issuer,
    managedIdentityEnvironment: { IDENTITY_ENDPOINT: `${server.origin}${MANAGED_IDENTITY_PATH}`, IDENTITY_HEADER: state.identityHeader },
    federatedToken: (o = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const lifetime = o.lifetimeSeconds ?? 3600;
      const subject = o.subject ?? clients.find((c) => c.federatedSubject !== undefined)?.federatedSubject ?? "system:serviceaccount:default:default";
      return signRs256(
        { kid: "simulated-workload-issuer" },
        {
          iss: state.federation.issuer,
          sub: subject,
          aud: [o.audience ?? FEDERATION_AUDIENCE],
          iat: Math.min(now, now + lifetime),
          nbf: Math.min(now, now + lifetime) - 1,
          exp: now + lifetime,
        },
        state.federation.privateKey,
      );
    },
    stats: state.stats,
    get faults(): FaultPlan {
      return cursor.plan;
    },
    set faults(plan: FaultPlan) {
      cursor = new FaultCursor(plan);
    },
    revokeTokens: () => issuer.revokeAll(),
    machines: () => state.view.all(),
    resetStats: () => resetStats(state.stats),
    resetRateLimit: () => limiter?.reset(),
    close: () => server.close(),
  };
}

export { startSimulatedFalcon, generateFalconHosts, combineVerdicts, falconVerdictOf, FALCON_REGIONS } from "./falcon/index.js";
export type {
  FalconApiClient,
  FalconAppliedFault,
  FalconAssetTruth,
  FalconCredentialChoice,
  FalconFault,
  FalconFaultKind,
  FalconFaultPlan,
  FalconFaultTiming,
  FalconKnobs,
  FalconPageLimits,
  FalconPlatform,
  FalconProductType,
  FalconRateLimits,
  FalconStats,
  FalconStory,
  FalconTruth,
  GenerateFalconOptions,
  GeneratedFalconHosts,
  HostSpec,
  SensorState,
  SimulatedFalcon,
  SimulatedFalconOptions,
  Vendor,
} from "./falcon/index.js";
