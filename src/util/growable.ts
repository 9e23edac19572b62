/**
 * Typed arrays that grow as values are appended (doubling), for per-record numbers kept while
 * devices arrive one at a time: 4 or 8 bytes a value, where a JavaScript array of numbers takes 8
 * and an object per record far more. One small class per element type rather than one generic
 * class: each `push` and `at` then sees a single array type (they are on the hot path of
 * correlation's `addDevice`). And the one rule by which a reused byte buffer grows
 * ({@link grownBuffer}).
 */

/** A growable list of int32 values. */
export class IntList {
  private values = new Int32Array(256);
  /** Number of values. */
  length = 0;

  /** Appends `value`. */
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Int32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  /** The value at `index` (0 outside the list). */
  at(index: number): number {
    return this.values[index] ?? 0;
  }

  /** Overwrites the value at `index` (inside the list). */
  set(index: number, value: number): void {
    this.values[index] = value;
  }

  /** The values, in a typed array of their own length (a copy). */
  toArray(): Int32Array {
    return this.values.slice(0, this.length);
  }
}

/** A growable list of bytes. */
export class ByteList {
  private values = new Uint8Array(256);
  /** Number of values. */
  length = 0;

  /** Appends `value` (0–255). */
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Uint8Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  /** The value at `index` (0 outside the list). */
  at(index: number): number {
    return this.values[index] ?? 0;
  }

  /** Overwrites the value at `index` (inside the list). */
  set(index: number, value: number): void {
    this.values[index] = value;
  }
}

/** A growable list of float64 values. */
export class FloatList {
  private values = new Float64Array(256);
  /** Number of values. */
  length = 0;

  /** Appends `value`. */
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  /** The value at `index` (NaN outside the list). */
  at(index: number): number {
    return this.values[index] ?? Number.NaN;
  }

  /** Overwrites the value at `index` (inside the list). */
  set(index: number, value: number): void {
    this.values[index] = value;
  }
}

/**
 * A buffer outside Node's pool, at least twice as long as `buffer` and at least `atLeast` bytes,
 * holding `buffer`'s first `used` bytes: for a byte buffer filled again and again that must grow.
 */
export const grownBuffer = (buffer: Buffer, used: number, atLeast: number): Buffer<ArrayBuffer> => {
  let size = Math.max(1, buffer.length * 2);
  while (size < atLeast) size *= 2;
  const bigger = Buffer.allocUnsafeSlow(size);
  buffer.copy(bigger, 0, 0, used);
  return bigger;
};
