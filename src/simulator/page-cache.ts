/**
 * The opt-in page cache (`pageCache: true`): a list page's body is rendered once per
 * origin, path and query and then answered from memory, so that a benchmark's timed runs
 * spend the tenant's CPU on sending bytes, not on building and serialising records. The
 * service time (`serviceMsPerDevice`) and the counters still apply to every answer.
 *
 * A request with faults never uses it and empties it: a drift fault changes the list, and
 * the others change the page they apply to.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ApiFault } from "./faults.js";
import type { Reply } from "./http.js";
import type { TenantState } from "./state.js";

interface CachedPage {
  readonly reply: Reply;
  /** Machine records on the page (service time and `machinesServed`). */
  readonly devices: number;
}

/** Rendered list pages, by origin + path + query. */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  /** Bumped by `clear()`, so that a render that started before it is not stored after it. */
  private generation = 0;

  /** Forgets every page. */
  clear(): void {
    this.pages.clear();
    this.generation += 1;
  }

  /** The page for `key`, or null. */
  get(key: string): CachedPage | null {
    return this.pages.get(key) ?? null;
  }

  /** Keeps a 200 answer of `devices` records, its body as a Buffer, unless the cache was cleared since `generation`. */
  put(key: string, reply: Reply, devices: number, generation: number): void {
    if (generation !== this.generation || reply.status !== 200) return;
    const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
    this.pages.set(key, { reply: { ...reply, body }, devices });
  }

  /** The current generation, read before a render. */
  get current(): number {
    return this.generation;
  }
}

/**
 * Answers a list request through `state.pageCache` when it is on and no fault applies;
 * `render` builds the page (applying the service time and counting `machinesServed`), its
 * reply's `devices` the records on it. Counts renders and cached answers.
 */
export const cachedListPage = async (state: TenantState, key: string, faults: readonly ApiFault[], render: () => Promise<Reply>): Promise<Reply> => {
  const cache = state.pageCache;
  if (cache !== null && faults.length > 0) cache.clear();
  const hit = cache === null || faults.length > 0 ? null : cache.get(key);
  if (hit !== null) {
    const ms = state.options.serviceMsPerDevice;
    if (ms > 0 && hit.devices > 0) await sleep(hit.devices * ms, undefined, { signal: state.closing });
    state.stats.machinesServed += hit.devices;
    state.stats.listPagesFromCache += 1;
    return hit.reply;
  }
  const generation = cache?.current ?? 0;
  const reply = await render();
  state.stats.listPagesRendered += 1;
  if (cache !== null && faults.length === 0 && reply.devices !== undefined) cache.put(key, reply, reply.devices, generation);
  return reply;
};
