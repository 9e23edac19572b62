/**
 * A simulated CrowdStrike Falcon customer for tests, demos and benchmarks: one HTTPS server
 * per Falcon cloud (us-1, us-2, …) on 127.0.0.1, all signed by one throw-away CA, serving
 * the OAuth2 token endpoints and the hosts API over seeded hosts — synthetic, or on the
 * scanned network of a simulated Microsoft tenant with the truth of both vendors.
 *
 * ```ts
 * const tenant = generateTenant({ seed: 7, devices: 500, assets: true });
 * const falcon = await startSimulatedFalcon({ seed: 7, tenant, homeRegion: "us-2" });
 * const credential = falcon.credential(); // { kind: "crowdstrike-api-client", clientId, clientSecret, apiBaseUrl }
 * // trust falcon.caPem; falcon.truth.assets[assetId].combinedVerdict is what a combined run should say
 * await falcon.close();
 * ```
 *
 * Facts modelled: /work/shared/reference/crowdstrike-falcon-api.md. Where each part lives:
 * - hosts: `spec.ts` (what decides a host), `synthetic.ts` / `overlap.ts` (which hosts),
 *   `sensor.ts` (last_seen spread, RFM, containment), `record.ts` (the printed record),
 *   `generate.ts` + `truth.ts` (verdicts of both vendors);
 * - serving: `server.ts` (one cloud, request order), `oauth.ts` + `auth.ts` (tokens),
 *   `routes.ts` → `combined.ts`, `scroll.ts` + `scrolls.ts`, `query.ts`, `entities.ts`;
 *   `store.ts` (live host set and listings), `fql.ts` + `sort.ts` + `listing-params.ts`,
 *   `params.ts`, `envelope.ts`, `rate-limit.ts`, `faults.ts`, `knobs.ts`, `clock.ts`,
 *   `prerender.ts` (pages printed before a timed region), `stats.ts`.
 */
import { makeTlsMaterial } from "../ca.js";
import type { GeneratedTenant } from "../generate.js";
import type { FalconApiClient } from "./auth.js";
import { defaultFalconClients } from "./auth.js";
import { SimClock } from "./clock.js";
import { prerenderCombined } from "./combined.js";
import { FalconFaultCursor } from "./faults.js";
import type { FalconFaultPlan } from "./faults.js";
import { generateFalconHosts } from "./generate.js";
import type { GeneratedFalconHosts } from "./generate.js";
import { defaultKnobs } from "./knobs.js";
import type { FalconKnobs, FalconPageLimits } from "./knobs.js";
import { PrerenderedPages } from "./prerender.js";
import { Scrolls } from "./scrolls.js";
import { startCloud } from "./server.js";
import type { FalconState } from "./state.js";
import { freshBooks } from "./state.js";
import { emptyFalconStats } from "./stats.js";
import type { FalconStats } from "./stats.js";
import { HostStore } from "./store.js";
import type { FalconTruth } from "./truth.js";

export type { FalconApiClient } from "./auth.js";
export type { FalconFault, FalconFaultKind, FalconFaultPlan, FalconFaultTiming } from "./faults.js";
export type { GenerateFalconOptions, GeneratedFalconHosts } from "./generate.js";
export { generateFalconHosts } from "./generate.js";
export type { FalconKnobs, FalconPageLimits, FalconRateLimits } from "./knobs.js";
export type { FalconAppliedFault, FalconStats } from "./stats.js";
export type { FalconAssetTruth, FalconStory, FalconTruth, Vendor } from "./truth.js";
export { combineVerdicts, falconVerdictOf } from "./truth.js";
export type { FalconPlatform, FalconProductType, HostSpec, SensorState } from "./spec.js";

/** The clouds a customer can be on; each gets a server. */
export const FALCON_REGIONS = ["us-1", "us-2", "eu-1", "us-gov-1", "us-gov-2"] as const;

/** Options of `startSimulatedFalcon`; all optional. */
export interface SimulatedFalconOptions {
  /** Seed of the hosts. Default 1. */
  seed?: number;
  /** Number of synthetic hosts (without `tenant`). Default 200. */
  hosts?: number;
  /** A tenant generated with `assets: true`: hosts go on its scanned network (`truth` judges both vendors). */
  tenant?: GeneratedTenant;
  /** The customer's cloud: token requests elsewhere get 308 to it. Default `us-1`. */
  homeRegion?: string;
  /** The clouds to serve (each its own origin). Default us-1, us-2, eu-1, us-gov-1; `homeRegion` is added when missing. */
  regions?: readonly string[];
  /** The data clock (ISO 8601). Default: now, rounded down to the minute. */
  now?: string;
  /** API clients. Default: `hosts-read` (devices:read), `no-scope`, `ip-restricted` (allowed only from 203.0.113.99). */
  clients?: readonly FalconApiClient[];
  /** Switches (see `FalconKnobs`); the rest keep their defaults. */
  knobs?: Partial<FalconKnobs>;
  /** Page and batch limits (see `FalconPageLimits`); the rest keep their defaults. */
  pageLimits?: Partial<FalconPageLimits>;
  /** The clock for token and scroll expiry and rate windows. Default `Date.now`. */
  clock?: () => number;
  /** A fault plan from the start. */
  faults?: FalconFaultPlan;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
}

/** Which credential `credential()` builds. */
export interface FalconCredentialChoice {
  /** The cloud whose origin goes in `apiBaseUrl` (e.g. us-1 for the auto-discovery case). Default the home cloud. */
  region?: string;
  /** The client, by `name` or client id. Default the first with `devices:read` and no IP allow-list. */
  client?: string;
}

/** A running simulated Falcon customer. */
export interface SimulatedFalcon {
  /** Region → `https://127.0.0.1:PORT`. */
  readonly clouds: Readonly<Record<string, string>>;
  /** The home cloud's origin. */
  readonly apiBaseUrl: string;
  readonly homeRegion: string;
  /** PEM of the CA every cloud's certificate chains to. */
  readonly caPem: string;
  /** The customer id. */
  readonly cid: string;
  readonly clients: readonly FalconApiClient[];
  /** `{ kind: "crowdstrike-api-client", clientId, clientSecret, apiBaseUrl }`; a string is taken as the region. Throws on an unknown region or client. */
  credential(which?: string | FalconCredentialChoice): Record<string, string>;
  /** The hosts served (generation time; hosts added or hidden at run time are not in it). */
  readonly hosts: GeneratedFalconHosts;
  readonly truth: FalconTruth;
  /** Live counters. */
  readonly stats: FalconStats;
  /** The live switches: assign fields at any time. */
  readonly knobs: FalconKnobs;
  /** Replaces the fault plan (its counters restart); TypeError on an invalid plan. */
  setFaults(plan: FalconFaultPlan): void;
  /** Moves the simulator's clock forward (token, scroll and `next` expiry, rate windows). */
  advanceClock(ms: number): void;
  /** Adds a healthy host at `position` of the device-id order (default 0); returns its id. */
  addHost(position?: number): string;
  /** Hides a host (as `hide_host` does): it leaves the listings and appears in the hidden ones. False when unknown or hidden already. */
  hideHost(deviceId: string): boolean;
  /** Every token issued so far stops working (401). */
  revokeTokens(): void;
  /** Every open scroll expires. */
  expireScrolls(): void;
  /**
   * Prints every combined page of `limit` hosts (no filter, default sort, no `fields`) now,
   * so that later requests for those pages send them from memory with a fresh envelope.
   * Returns pages and bytes kept. RangeError outside 1..10000.
   */
  prerenderCombined(limit: number): { pages: number; bytes: number };
  /** Zeroes the counters. */
  resetStats(): void;
  /** Forgets the rate windows. */
  resetRateLimit(): void;
  /** Closes every cloud and connection. */
  close(): Promise<void>;
}

const DEFAULT_REGIONS = ["us-1", "us-2", "eu-1", "us-gov-1"];

/** Starts a simulated Falcon customer (about 0.1 s plus host generation). TypeError on a bad option; the listen error otherwise. */
export async function startSimulatedFalcon(options: SimulatedFalconOptions = {}): Promise<SimulatedFalcon> {
  const homeRegion = options.homeRegion ?? "us-1";
  const regions = [...new Set([...(options.regions ?? DEFAULT_REGIONS), homeRegion])];
  if (regions.some((r) => !/^[a-z0-9-]+$/.test(r))) throw new TypeError("regions: expected names such as us-1, us-2, eu-1, us-gov-1");
  const generated = generateFalconHosts({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.hosts !== undefined ? { hosts: options.hosts } : {}),
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const clients = options.clients !== undefined ? options.clients.map((c) => ({ ...c })) : defaultFalconClients();
  const defaults = defaultKnobs();
  const knobs: FalconKnobs = { ...defaults, ...options.knobs, limits: { ...defaults.limits, ...options.knobs?.limits, ...options.pageLimits } };
  const store = new HostStore(generated);
  const shutdown = new AbortController();
  const tls = await makeTlsMaterial(`falcon ${store.ids.cid}`);
  const state: FalconState = {
    homeRegion,
    clouds: {},
    clients,
    store,
    ...freshBooks(),
    scrolls: new Scrolls(),
    pages: new PrerenderedPages(),
    knobs,
    clock: new SimClock(options.clock),
    stats: emptyFalconStats(),
    faults: new FalconFaultCursor(options.faults ?? []),
    closing: shutdown.signal,
  };
  const running = await Promise.all(regions.map((r) => startCloud(state, r, tls, options.host ?? "127.0.0.1", 0)));
  regions.forEach((r, k) => {
    state.clouds[r] = running[k]?.origin ?? "";
  });
  const apiBaseUrl = state.clouds[homeRegion] ?? "";
  const credential = (which: string | FalconCredentialChoice = {}): Record<string, string> => {
    const choice = typeof which === "string" ? { region: which } : which;
    const origin = state.clouds[choice.region ?? homeRegion];
    if (origin === undefined) throw new Error(`no simulated Falcon cloud ${choice.region ?? ""}; clouds: ${regions.join(", ")}`);
    const client =
      choice.client === undefined
        ? clients.find((c) => c.scopes.includes("devices:read") && c.allowedIps === undefined)
        : clients.find((c) => c.name === choice.client || c.clientId === choice.client);
    if (client === undefined) throw new Error(`no simulated Falcon API client ${choice.client ?? "with devices:read"}`);
    return { kind: "crowdstrike-api-client", clientId: client.clientId, clientSecret: client.clientSecret, apiBaseUrl: origin };
  };
  return {
    clouds: state.clouds,
    apiBaseUrl,
    homeRegion,
    caPem: tls.caPem,
    cid: store.ids.cid,
    clients,
    credential,
    hosts: generated,
    truth: generated.truth,
    stats: state.stats,
    knobs,
    setFaults: (plan) => {
      state.faults = new FalconFaultCursor(plan);
    },
    advanceClock: (ms) => state.clock.advance(ms),
    addHost: (position = 0) => store.addAt(position),
    hideHost: (id) => store.hide(id),
    revokeTokens: () => state.tokens.revokeAll(),
    expireScrolls: () => state.scrolls.expireAll(),
    prerenderCombined: (limit) => prerenderCombined(state, limit),
    resetStats: () => {
      Object.assign(state.stats, emptyFalconStats());
    },
    resetRateLimit: () => state.windows.reset(),
    close: async () => {
      shutdown.abort();
      await Promise.all(running.map((r) => r.close()));
    },
  };
}
