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
export { MDE_RESOURCES, XDR_RESOURCE } from "./entra.js";

/** Kinds of credential `credential()` can build. */
export type SimulatedCredentialKind = "azure-client-secret" | "azure-client-certificate";

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
   * A credential JSON for the scan-probes CLI from the first client of that kind:
   * `{ kind: "azure-client-secret", tenantId, clientId, clientSecret }` (default) or
   * `{ kind: "azure-client-certificate", tenantId, clientId, certificate, privateKey }`.
   * Throws when no client of that kind (with a private key, for certificates) exists.
   */
  credential(kind?: SimulatedCredentialKind): Record<string, string>;
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

const credentialOf = (tenantId: string, clients: readonly SimulatedClient[], kind: SimulatedCredentialKind): Record<string, string> => {
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
  const [tls, signing, clients] = await Promise.all([
    makeTlsMaterial(),
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
    view: new TenantView(generated),
    limiter,
    stats: emptyStats(),
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
    credential: (kind = "azure-client-secret") => credentialOf(resolved.tenantId, clients, kind),
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
