/**
 * What the request handlers share: resolved options, app registrations, the token issuer,
 * the device listing, the rate limiter, the page cache and the counters.
 */
import type { KeyObject } from "node:crypto";
import type { RegisteredClient } from "./clients.js";
import type { ResolvedOptions } from "./options.js";
import type { PageCache } from "./page-cache.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { SimulatorStats } from "./stats.js";
import type { TokenIssuer } from "./tokens.js";
import type { TenantView } from "./view.js";

/** Shared state of one simulated tenant. */
export interface TenantState {
  readonly options: ResolvedOptions;
  /** Clients by lowercase client id. */
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  readonly issuer: TokenIssuer;
  /** The outside workload issuer (a Kubernetes cluster's, say) whose tokens apps with a `federatedSubject` trust. */
  /** The secret the managed identity endpoint expects in X-IDENTITY-HEADER (App Service's IDENTITY_HEADER). */
  readonly identityHeader: string;
  readonly federation: { readonly issuer: string; readonly publicKey: KeyObject; readonly privateKey: KeyObject };
  readonly view: TenantView;
  readonly limiter: RateLimiter | null;
  readonly stats: SimulatorStats;
  /** Rendered list pages (`pageCache: true`), or null. */
  readonly pageCache: PageCache | null;
  /** Aborted when the server closes, so that delays and service time end with it. */
  readonly closing: AbortSignal;
}
