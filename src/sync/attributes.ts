/**
 * A record's `attributes`: every field of the source's item, flattened, as JSON.
 */

import { CLOSE_BRACE, COLON, COMMA, OPEN_BRACE, QUOTE } from "../util/char-codes.js";
import { closingQuote, hasEscape, skipBlanks, valueEnd } from "../util/json-text.js";

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
 * Nested objects {@link flattenedText} follows; a deeper item is flattened from the object, so
 * that one nested past what a walk can serialise is refused the same way whichever path it takes.
 */
const MAX_TEXT_DEPTH = 64;

/** True when `text[from … to-1]` is a key {@link flattenedText} writes as it is: not empty, no escape, not led by a digit (V8 puts such keys first). */
const isPlainKey = (text: string, from: number, to: number): boolean => {
  const first = text.charCodeAt(from);
  return to > from && !(first >= 0x30 && first <= 0x39) && !hasEscape(text, from, to);
};

/**
 * `flattenAttributes(machine)` as JSON, written from `text` (the JSON `machine` was parsed
 * from, on one line) without serialising anything: runs of top-level fields are copied as
 * they are, and each field of a nested object is copied after its dotted prefix. Undefined
 * wherever that could read differently from the flattened object: a key with an escape, an
 * empty key or one led by a digit, `__proto__` at the top, an object that repeats a key (the
 * members counted against `machine`'s own keys), nesting past {@link MAX_TEXT_DEPTH}, or text
 * it does not follow. Values are copied as sent (`1.0` stays `1.0`).
 */
const flattenedText = (text: string, machine: Readonly<Record<string, unknown>>): string | undefined => {
  let out = "";
  let depth = 0;
  let prefix = "";
  const prefixes: string[] = [];
  const objects: Readonly<Record<string, unknown>>[] = [machine];
  const members: number[] = [0];
  /** A run of top-level fields not yet copied: from its first key's quote to the end of its last value. */
  let runStart = -1;
  let runEnd = -1;
  /** Appends one member (or a run of them) to what is written. */
  const add = (member: string) => {
    out = out === "" ? member : `${out},${member}`;
  };
  const copyRun = () => {
    if (runStart >= 0) add(text.slice(runStart, runEnd));
    runStart = -1;
  };
  if (text.charCodeAt(0) !== OPEN_BRACE) return undefined;
  let at = skipBlanks(text, 1);
  if (text.charCodeAt(at) === CLOSE_BRACE) return at === text.length - 1 && Object.keys(machine).length === 0 ? "{}" : undefined;
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) return undefined;
    const keyOpen = at;
    const keyClose = closingQuote(text, keyOpen);
    if (keyClose < 0 || !isPlainKey(text, keyOpen + 1, keyClose)) return undefined;
    if (depth === 0 && keyClose - keyOpen === 10 && text.startsWith('"__proto__"', keyOpen)) return undefined;
    members[depth] = (members[depth] ?? 0) + 1;
    at = skipBlanks(text, keyClose + 1);
    if (text.charCodeAt(at) !== COLON) return undefined;
    at = skipBlanks(text, at + 1);
    if (text.charCodeAt(at) === OPEN_BRACE) {
      const key = text.slice(keyOpen + 1, keyClose);
      const inner = (objects[depth] as Record<string, unknown>)[key];
      if (!isNested(inner)) return undefined;
      copyRun();
      const name = prefix === "" ? key : dottedName(prefix, key);
      const first = skipBlanks(text, at + 1);
      if (text.charCodeAt(first) === CLOSE_BRACE) {
        if (Object.keys(inner as object).length !== 0) return undefined;
        add(`"${name}":{}`);
        at = first + 1;
      } else {
        if (depth === MAX_TEXT_DEPTH) return undefined;
        prefixes.push(prefix);
        prefix = name;
        objects.push(inner as Record<string, unknown>);
        members.push(0);
        depth += 1;
        at = first;
        continue;
      }
    } else {
      const end = valueEnd(text, at);
      if (end < 0) return undefined;
      if (depth > 0) add(`"${prefix}.${text.slice(keyOpen + 1, end)}`);
      else {
        if (runStart < 0) runStart = keyOpen;
        runEnd = end;
      }
      at = end;
    }
    // After a member: a comma, or the ends of as many objects as close here.
    for (;;) {
      at = skipBlanks(text, at);
      const code = text.charCodeAt(at);
      if (code === COMMA) break;
      if (code !== CLOSE_BRACE || members[depth] !== Object.keys(objects[depth] as object).length) return undefined;
      if (depth === 0) {
        if (at !== text.length - 1) return undefined;
        copyRun();
        return `{${out}}`;
      }
      depth -= 1;
      prefix = prefixes.pop() as string;
      objects.pop();
      members.pop();
      at += 1;
    }
    at = skipBlanks(text, at + 1);
  }
};

/**
 * `JSON.stringify(flattenAttributes(machine))`, faster. Most items have no nested object
 * (a Defender machine's `vmMetadata` is null outside clouds), and then the flattened form is
 * the item itself: `text`, the item's own JSON as the source sent it (on one line), is used as
 * it is when given. A nested item with its text is flattened from the text
 * (each field renamed in place, not serialised again); otherwise the item is serialised.
 */
export const attributesJson = (machine: Readonly<Record<string, unknown>>, text?: string): string => {
  if (isFlat(machine)) return text ?? JSON.stringify(machine);
  return (text === undefined ? undefined : flattenedText(text, machine)) ?? JSON.stringify(flattenAttributes(machine));
};
