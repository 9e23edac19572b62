/**
 * A record's `attributes`: every field of the source's item, flattened, as JSON.
 */

/**
 * Most `prefix.key` names kept by {@link dottedName}. A source repeats a few hundred on every
 * item; items with ever-new keys stop being kept past this, so the table stays small.
 */
export const MAX_DOTTED_NAMES = 10_000;

/** `prefix.key` names made before, by prefix and then key (see {@link dottedName}). */
const dottedNames = new Map<string, Map<string, string>>();
let dottedNamesKept = 0;

/**
 * `${prefix}.${key}`, one string for each name a source repeats: every item of a page has the
 * same nested fields, and a name made once is entered once among the property names, where a
 * new string for each item would be built and looked up there each time.
 */
const dottedName = (prefix: string, key: string): string => {
  let byKey = dottedNames.get(prefix);
  const known = byKey?.get(key);
  if (known !== undefined) return known;
  const name = `${prefix}.${key}`;
  if (dottedNamesKept < MAX_DOTTED_NAMES) {
    if (byKey === undefined) dottedNames.set(prefix, (byKey = new Map<string, string>()));
    byKey.set(key, name);
    dottedNamesKept += 1;
  }
  return name;
};

/**
 * Every field of an item under the source's name; nested objects are flattened with dots
 * (`vmMetadata.vmId`), arrays kept whole. Fields a source adds later are carried too.
 */
export const flattenAttributes = (machine: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const fields = value as Record<string, unknown>;
      const keys = Object.keys(fields);
      if (keys.length === 0 && prefix) out[prefix] = {};
      for (const key of keys) walk(fields[key], prefix ? dottedName(prefix, key) : key);
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
