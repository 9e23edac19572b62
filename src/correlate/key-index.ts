/**
 * Who carries a key, on each side: nobody, exactly one device group (or asset), or several.
 * One hash-map entry per distinct key (key → slot), carriers in typed arrays by slot, so that
 * counting allocates nothing per occurrence.
 *
 * Limit: a JavaScript Map holds about 16.7 million entries, so one index (one kind of key)
 * holds at most that many distinct keys.
 */

/** No carrier. */
export const NONE = -1;
/** More than one carrier. */
export const MANY = -2;

/** Carriers of keys of one kind (MAC, IP, FQDN, …). */
export class CarrierIndex {
  private readonly slotOf = new Map<string, number>();
  private devices = new Int32Array(1024);
  private assets = new Int32Array(1024);
  private size = 0;

  /** The slot of `key`, created when new. */
  private slot(key: string): number {
    const found = this.slotOf.get(key);
    if (found !== undefined) return found;
    const slot = this.size++;
    if (slot === this.devices.length) {
      const devices = new Int32Array(slot * 2);
      devices.set(this.devices);
      this.devices = devices;
      const assets = new Int32Array(slot * 2);
      assets.set(this.assets);
      this.assets = assets;
    }
    this.devices[slot] = NONE;
    this.assets[slot] = NONE;
    this.slotOf.set(key, slot);
    return slot;
  }

  /** Records that device group `group` carries `key` (repeats are harmless). */
  addDevice(key: string, group: number): void {
    const slot = this.slot(key);
    const current = this.devices[slot] ?? NONE;
    this.devices[slot] = current === NONE || current === group ? group : MANY;
  }

  /** Records that asset `asset` carries `key` (repeats are harmless). */
  addAsset(key: string, asset: number): void {
    const slot = this.slot(key);
    const current = this.assets[slot] ?? NONE;
    this.assets[slot] = current === NONE || current === asset ? asset : MANY;
  }

  /** The device group carrying `key`: its index, NONE or MANY. */
  device(key: string): number {
    const slot = this.slotOf.get(key);
    return slot === undefined ? NONE : (this.devices[slot] ?? NONE);
  }

  /** The asset carrying `key`: its index, NONE or MANY. */
  asset(key: string): number {
    const slot = this.slotOf.get(key);
    return slot === undefined ? NONE : (this.assets[slot] ?? NONE);
  }

  /** The slot of `key`, or -1 when no side carries it; read it with {@link deviceAt} and {@link assetAt}. */
  lookup(key: string): number {
    return this.slotOf.get(key) ?? -1;
  }

  /** The device group of a slot from {@link lookup} (NONE for -1). */
  deviceAt(slot: number): number {
    return slot < 0 ? NONE : (this.devices[slot] ?? NONE);
  }

  /** The asset of a slot from {@link lookup} (NONE for -1). */
  assetAt(slot: number): number {
    return slot < 0 ? NONE : (this.assets[slot] ?? NONE);
  }

  /** Calls `visit` for every key carried by exactly one device group and exactly one asset. */
  forEachUniqueOnBothSides(visit: (key: string, group: number, asset: number) => void): void {
    for (const [key, slot] of this.slotOf) {
      const device = this.devices[slot] ?? NONE;
      const asset = this.assets[slot] ?? NONE;
      if (device >= 0 && asset >= 0) visit(key, device, asset);
    }
  }
}
