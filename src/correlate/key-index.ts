/**
 * Who carries a key, on each side: nobody, exactly one device group (or asset), or several.
 * Keys are interned once to dense ids (`Interner` in `interner.ts` for strings, `PairTable` in
 * `pair-table.ts` for `name + IP` pairs of ids), and carriers live in typed arrays indexed by id, so that counting
 * allocates nothing per occurrence and no composite key string is ever built.
 */

/** No carrier. */
export const NONE = -1;
/** More than one carrier. */
export const MANY = -2;

/** Doubles `array` (as often as needed) until it holds index `at`; new cells are `fill`. */
export function grow(array: Int32Array<ArrayBuffer>, at: number, fill: number): Int32Array<ArrayBuffer> {
  if (at < array.length) return array;
  let length = array.length * 2;
  while (length <= at) length *= 2;
  const bigger = new Int32Array(length); // zeros already: only another fill is written, and only past the old values
  if (fill !== 0) bigger.fill(fill, array.length);
  bigger.set(array);
  return bigger;
}

/** Carriers of keys of one kind (MAC, IP, FQDN, …), by key id. */
export class CarrierIndex {
  private devices = new Int32Array(1024).fill(NONE);
  private assets = new Int32Array(1024).fill(NONE);
  private size = 0;

  /** Records that device group `group` carries key `id` (repeats are harmless). */
  addDevice(id: number, group: number): void {
    this.devices = grow(this.devices, id, NONE);
    if (id >= this.size) this.size = id + 1;
    const current = this.devices[id] ?? NONE;
    this.devices[id] = current === NONE || current === group ? group : MANY;
  }

  /** Records that asset `asset` carries key `id` (repeats are harmless). */
  addAsset(id: number, asset: number): void {
    this.assets = grow(this.assets, id, NONE);
    if (id >= this.size) this.size = id + 1;
    const current = this.assets[id] ?? NONE;
    this.assets[id] = current === NONE || current === asset ? asset : MANY;
  }

  /** The device group carrying key `id`: its index, NONE or MANY. */
  deviceAt(id: number): number {
    return this.devices[id] ?? NONE;
  }

  /** The asset carrying key `id`: its index, NONE or MANY. */
  assetAt(id: number): number {
    return this.assets[id] ?? NONE;
  }

  /** Drops both sides (their memory), once nothing reads them any more; every key has no carrier afterwards. */
  release(): void {
    this.devices = new Int32Array(1).fill(NONE);
    this.assets = new Int32Array(1).fill(NONE);
    this.size = 0;
  }

  /** Calls `visit` for every key carried by exactly one device group and exactly one asset, in id order. */
  forEachUniqueOnBothSides(visit: (id: number, group: number, asset: number) => void): void {
    for (let id = 0; id < this.size; id++) {
      const device = this.devices[id] ?? NONE;
      const asset = this.assets[id] ?? NONE;
      if (device >= 0 && asset >= 0) visit(id, device, asset);
    }
  }
}
