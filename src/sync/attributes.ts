/**
 * A record's `attributes`: every field of the source's item, flattened, as JSON.
 */

/**
 * Every field of an item under the source's name; nested objects are flattened with dots
 * (`vmMetadata.vmId`), arrays kept whole. Fields a source adds later are carried too.
 */
export const flattenAttributes = (machine: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && prefix) out[prefix] = {};
      for (const [key, inner] of entries) walk(inner, prefix ? `${prefix}.${key}` : key);
    } else if (prefix) {
      out[prefix] = value;
    }
  };
  walk(machine, "");
  return out;
};

/** True for a value {@link flattenAttributes} walks into: an object that is not an array. */
const isNested = (value: unknown): boolean => typeof value === "object" && value !== null && !Array.isArray(value);

/** True when {@link flattenAttributes} would return the machine as it is: no nested object, no key it drops (`""`, `__proto__`). */
const isFlat = (machine: Readonly<Record<string, unknown>>): boolean => {
  for (const key in machine) if (isNested(machine[key]) || key === "" || key === "__proto__") return false;
  return true;
};

/**
 * `JSON.stringify(flattenAttributes(machine))`, faster. Most items have no nested object
 * (a Defender machine's `vmMetadata` is null outside clouds), and then the flattened form is
 * the item itself: `text`, the item's own JSON as the source sent it, is used as it is when
 * given; otherwise the item is serialised.
 */
export const attributesJson = (machine: Readonly<Record<string, unknown>>, text?: string): string =>
  isFlat(machine) ? (text ?? JSON.stringify(machine)) : JSON.stringify(flattenAttributes(machine));
