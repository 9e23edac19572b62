/**
 * The simulator's options: public types, defaults in one object, and a checker that names
 * the field at fault and rejects unknown keys (got's style).
 */
import { createHash } from "node:crypto";
import { DEFAULT_NOW } from "./gen/time.js";

/** An app registration in the simulated tenant. */
export interface SimulatedClient {
  /** Application (client) id, a GUID. */
  clientId: string;
  /** The secret's value; the client signs in with it when set. */
  clientSecret?: string;
  /** A PEM certificate registered on the app; the client signs in with a JWT assertion signed by its key when set. */
  certificatePem?: string;
  /** The certificate's PEM private key, kept only so `credential()` can hand out a ready credential. */
  privateKeyPem?: string;
  /**
   * A federated identity credential on the app: it trusts tokens of the tenant's simulated
   * workload issuer (`federatedToken()`) with this subject, audience `api://AzureADTokenExchange`.
   */
  federatedSubject?: string;
  /**
   * The client is a managed identity of the simulated host: `system-assigned` (at most one)
   * or `user-assigned` (asked for by client id). It signs in at the managed identity
   * endpoint (`managedIdentityEnvironment`), not at the token endpoint.
   */
  managedIdentity?: "system-assigned" | "user-assigned";
  /** Application permissions granted with admin consent (`roles` claim). Empty = the claim is left out. */
  roles: string[];
  /** The secret exists but has expired (AADSTS7000222). */
  secretExpired?: boolean;
  /** `app_displayname` claim. */
  displayName?: string;
}

/** Options of `startSimulatedTenant`. Every field is optional; defaults are in `DEFAULTS`. */
export interface SimulatorOptions {
  /** Seed of the generated devices. Default 1. */
  seed?: number;
  /** Generated machine count. Default 200. */
  devices?: number;
  /**
   * Tenant GUID. Default: derived from the seed (`8f3c2a71-5b6d-4e0f-9a1b-2c3d4e5f6a7b` for
   * seed 1), so that tenants of different seeds can run side by side and be told apart;
   * the default clients' ids derive from it.
   */
  tenantId?: string;
  /** The tenant's verified domain, accepted in place of the GUID in authority URLs. Default `contoso.onmicrosoft.com`. */
  tenantDomain?: string;
  /** App registrations. Default: a secret client, a certificate client and a workload-identity client, each with `Machine.Read.All`. */
  clients?: SimulatedClient[];
  /** Largest page the API serves, and the page size used for `@odata.nextLink` paging. `$top` above it → 400. Default 10,000. */
  pageCap?: number;
  /** Answer 404 when a listing (first page, after `$filter`) is empty, as documented. Default true. */
  emptyListIs404?: boolean;
  /** `expires_in` of issued tokens, seconds. Default 3599. */
  tokenLifetimeSeconds?: number;
  /** `exp - iat` of issued tokens, seconds (Entra: 3900 for an `expires_in` of 3599). Default `tokenLifetimeSeconds + 301`. */
  tokenValiditySeconds?: number;
  /** Delay each `/api/machines` page by `value.length * serviceMsPerDevice` ms (service time). Default 0. */
  serviceMsPerDevice?: number;
  /** Sliding-window quota per (tenant, app) for machine calls, or false for none. Default `{ perMinute: 100, perHour: 1500 }`. */
  rateLimit?: { perMinute: number; perHour: number } | false;
  /** False: the tenant has no Defender, token requests for its resource fail with AADSTS500011. Default true. */
  resourceProvisioned?: boolean;
  /** The data clock for generated `lastSeen`/`firstSeen` (ISO 8601). Default `2025-06-02T08:00:00Z`. */
  now?: string;
  /** Deflate/gzip API pages when the client accepts it (the real service deflates). Default false. */
  compress?: boolean;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /**
   * Render each `/api/machines` list page once per origin, path and query and answer it
   * from memory after that (service time and counters still apply). A request with faults
   * bypasses it and empties it. For benchmarks: the tenant's CPU stays off the client's.
   * Default false.
   */
  pageCache?: boolean;
  /** Keep at most this many `stats.requestLog` entries (later ones are counted in `requestLogDropped`). Default 100,000. */
  requestLogLimit?: number;
}

/** Options with every default applied (clients are resolved separately: they may need key generation). */
export type ResolvedOptions = Required<Omit<SimulatorOptions, "clients" | "tokenValiditySeconds">> & { tokenValiditySeconds: number };

/** Default values of every option but `clients` and `tokenValiditySeconds`. */
export const DEFAULTS: Required<Omit<SimulatorOptions, "clients" | "tokenValiditySeconds">> = {
  seed: 1,
  devices: 200,
  tenantId: "8f3c2a71-5b6d-4e0f-9a1b-2c3d4e5f6a7b",
  tenantDomain: "contoso.onmicrosoft.com",
  pageCap: 10_000,
  emptyListIs404: true,
  tokenLifetimeSeconds: 3599,
  serviceMsPerDevice: 0,
  rateLimit: { perMinute: 100, perHour: 1500 },
  resourceProvisioned: true,
  now: DEFAULT_NOW,
  compress: false,
  host: "127.0.0.1",
  port: 0,
  requestLogLimit: 100_000,
  pageCache: false,
};

/** The default tenant id of a seed: seed 1 keeps the documented id, others a GUID hashed from the seed. */
export const tenantIdOfSeed = (seed: number): string => {
  if (seed === DEFAULTS.seed) return DEFAULTS.tenantId;
  const h = createHash("sha256").update(`scan-probes simulated tenant ${seed}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The largest `$top` the real service accepts. */
export const MAX_TOP = 10_000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID. */
export const isGuid = (s: string): boolean => GUID.test(s);

const fail = (field: string, expected: string, value: unknown): never => {
  throw new TypeError(`simulator option ${field}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
};

const checkInt = (field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void => {
  if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max))
    fail(field, `an integer in ${min}..${max}`, value);
};

const checkClient = (c: unknown, k: number): void => {
  const field = `clients[${k}]`;
  if (typeof c !== "object" || c === null) return fail(field, "an object", c);
  const client = c as Record<string, unknown>;
  if (typeof client["clientId"] !== "string" || !isGuid(client["clientId"])) fail(`${field}.clientId`, "a GUID", client["clientId"]);
  if (!Array.isArray(client["roles"]) || !client["roles"].every((r) => typeof r === "string")) fail(`${field}.roles`, "an array of strings", client["roles"]);
  const mi = client["managedIdentity"];
  if (mi !== undefined && mi !== "system-assigned" && mi !== "user-assigned") fail(`${field}.managedIdentity`, '"system-assigned" or "user-assigned"', mi);
  for (const key of ["clientSecret", "certificatePem", "privateKeyPem", "displayName", "federatedSubject"]) {
    if (client[key] !== undefined && typeof client[key] !== "string") fail(`${field}.${key}`, "a string", client[key]);
  }
};

/** Applies defaults and checks every option; throws TypeError naming the first bad field. */
export const resolveOptions = (options: SimulatorOptions): ResolvedOptions => {
  const known = new Set([...Object.keys(DEFAULTS), "clients", "tokenValiditySeconds"]);
  for (const key of Object.keys(options)) if (!known.has(key)) fail(key, `one of ${[...known].join(", ")}`, key);
  checkInt("seed", options.seed, -(2 ** 31), 2 ** 32);
  checkInt("devices", options.devices, 0, 15_000_000);
  checkInt("pageCap", options.pageCap, 1, MAX_TOP);
  checkInt("tokenLifetimeSeconds", options.tokenLifetimeSeconds, 0);
  checkInt("tokenValiditySeconds", options.tokenValiditySeconds, 0);
  checkInt("port", options.port, 0, 65535);
  checkInt("requestLogLimit", options.requestLogLimit, 0);
  if (options.serviceMsPerDevice !== undefined && !(typeof options.serviceMsPerDevice === "number" && options.serviceMsPerDevice >= 0)) {
    fail("serviceMsPerDevice", "a number ≥ 0", options.serviceMsPerDevice);
  }
  if (options.pageCache !== undefined && typeof options.pageCache !== "boolean") fail("pageCache", "a boolean", options.pageCache);
  if (options.tenantId !== undefined && !isGuid(options.tenantId)) fail("tenantId", "a GUID", options.tenantId);
  if (options.now !== undefined && Number.isNaN(Date.parse(options.now))) fail("now", "an ISO 8601 timestamp", options.now);
  if (options.rateLimit !== undefined && options.rateLimit !== false) {
    checkInt("rateLimit.perMinute", options.rateLimit.perMinute, 1);
    checkInt("rateLimit.perHour", options.rateLimit.perHour, 1);
  }
  options.clients?.forEach(checkClient);
  const merged = { ...DEFAULTS, ...stripUndefined(options) };
  return {
    ...merged,
    tenantId: (options.tenantId ?? tenantIdOfSeed(merged.seed)).toLowerCase(),
    tokenValiditySeconds: options.tokenValiditySeconds ?? merged.tokenLifetimeSeconds + 301,
  };
};

const stripUndefined = (options: SimulatorOptions): Omit<SimulatorOptions, "clients" | "tokenValiditySeconds"> => {
  const { clients: _clients, tokenValiditySeconds: _validity, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
};
