/**
 * Pre-rendered combined pages, for a benchmark's timed region: `falcon.prerenderCombined(limit)`
 * prints every page of the plain listing (no filter, default sort) once, and the combined
 * endpoint then sends a page's `resources` from memory, with a fresh envelope and trace id
 * around it. Only requests without filter, sort, fields or faults use it; any change to the
 * host set empties it.
 */

/** Printed `resources` arrays by limit and position. */
export class PrerenderedPages {
  private readonly pages = new Map<string, { readonly json: Buffer; readonly hosts: number }>();
  private version = -1;

  /** The page at `position` of `limit` hosts, printed while the store was at `version`, or null. */
  get(version: number, limit: number, position: number): { readonly json: Buffer; readonly hosts: number } | null {
    if (version !== this.version) return null;
    return this.pages.get(`${limit}|${position}`) ?? null;
  }

  /** Keeps a page printed at store `version` (a different version empties the cache first). */
  put(version: number, limit: number, position: number, json: Buffer, hosts: number): void {
    if (version !== this.version) {
      this.pages.clear();
      this.version = version;
    }
    this.pages.set(`${limit}|${position}`, { json, hosts });
  }

  /** Pages kept. */
  get size(): number {
    return this.pages.size;
  }

  /** Bytes kept. */
  get bytes(): number {
    let n = 0;
    for (const p of this.pages.values()) n += p.json.length;
    return n;
  }
}
