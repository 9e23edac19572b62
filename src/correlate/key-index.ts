/**
 * Who carries a key, on each side: nobody, exactly one device group (or asset), or several.
 * One hash-map entry per distinct key; both sides packed into one number.
 */

/** No carrier. */
export const NONE = -1;
/** More than one carrier. */
export const MANY = -2;

// value = (device + 2) * SPAN + (asset + 2); each side holds NONE, MANY or an index below SPAN - 2.
const SPAN = 2 ** 26;

/** The carrier after one more carrier `who` joined `current`. */
function withCarrier(current: number, who: number): number {
  return current === NONE || current === who ? who : MANY;
}

/** Carriers of keys of one kind (MAC, IP, FQDN, …). */
export class CarrierIndex {
  private readonly slots = new Map<string, number>();

  /** Records that device group `group` carries `key` (call once per group and key, or more: repeats are harmless). */
  addDevice(key: string, group: number): void {
    const slot = this.slots.get(key) ?? (NONE + 2) * SPAN + (NONE + 2);
    const device = Math.floor(slot / SPAN) - 2;
    const asset = (slot % SPAN) - 2;
    this.slots.set(key, (withCarrier(device, group) + 2) * SPAN + (asset + 2));
  }

  /** Records that asset `asset` carries `key`. */
  addAsset(key: string, assetIndex: number): void {
    const slot = this.slots.get(key) ?? (NONE + 2) * SPAN + (NONE + 2);
    const device = Math.floor(slot / SPAN) - 2;
    const asset = (slot % SPAN) - 2;
    this.slots.set(key, (device + 2) * SPAN + (withCarrier(asset, assetIndex) + 2));
  }

  /** The device group carrying `key`: its index, NONE or MANY. */
  device(key: string): number {
    const slot = this.slots.get(key);
    return slot === undefined ? NONE : Math.floor(slot / SPAN) - 2;
  }

  /** The asset carrying `key`: its index, NONE or MANY. */
  asset(key: string): number {
    const slot = this.slots.get(key);
    return slot === undefined ? NONE : (slot % SPAN) - 2;
  }

  /** Every key carried by exactly one device group and exactly one asset. */
  *uniqueOnBothSides(): IterableIterator<readonly [key: string, group: number, asset: number]> {
    for (const [key, slot] of this.slots) {
      const device = Math.floor(slot / SPAN) - 2;
      const asset = (slot % SPAN) - 2;
      if (device >= 0 && asset >= 0) yield [key, device, asset];
    }
  }
}

/** Largest number of device groups or assets a {@link CarrierIndex} can tell apart. */
export const MAX_CARRIERS = SPAN - 2;
