/**
 * A probe's options as one table of `{ codec, default, doc }`: the codec that decodes them
 * (defaults filled in, unknown keys refused by name), the docs `scan-probe list` shows, and
 * the options type, all derived from that one table so that no shape is written twice.
 */
import * as t from "io-ts";
import { kindOf } from "../util/decode.js";

/**
 * One option: its codec, its default (absent: the option may be left out and is then
 * `undefined`; with `required: true` it must be given), and what it does, in a sentence
 * (the default and "Required." are added to it: do not restate them).
 */
export interface OptionSpec<A> {
  /** Decodes the option's value; its failure message says what is expected, never the value. */
  readonly codec: t.Decoder<unknown, A>;
  /** The value a missing option takes. */
  readonly default?: A;
  /** True when the option has no default and must be given. */
  readonly required?: boolean;
  /** What the option does, for `--help`, `scan-probe list` and the docs. */
  readonly doc: string;
}

/** A table of options by key (see {@link optionsTable}). */
export type OptionSpecs = Readonly<Record<string, OptionSpec<unknown>>>;

/** The type an option's codec decodes to. */
export type OptionValue<S> = S extends { readonly codec: t.Decoder<unknown, infer A> } ? A : never;

/** Keys of options that are always present once decoded: those with a default, and the required ones. */
type PresentKeys<T> = { [K in keyof T]: T[K] extends { readonly default: unknown } | { readonly required: true } ? K : never }[keyof T];

/** Spells a mapped type out, so that editors show its fields. */
type Spelled<T> = { [K in keyof T]: T[K] } & {};

/** The decoded options of a table of option specs (see {@link OptionsOf}). */
type OptionsOfSpecs<T> = Spelled<
  { readonly [K in PresentKeys<T>]: OptionValue<T[K]> } & { readonly [K in Exclude<keyof T, PresentKeys<T>>]?: OptionValue<T[K]> | undefined }
>;

/**
 * The decoded options of what {@link optionsTable} returned (`OptionsOf<typeof acmeOptions>`)
 * or of the table given to it. An option with a default or marked required is always there;
 * any other may be `undefined`.
 */
export type OptionsOf<T> = T extends { readonly table: infer S } ? OptionsOfSpecs<S> : OptionsOfSpecs<T>;

/** What {@link optionsTable} returns: a probe's `options`, `optionDocs`, and the defaults. */
export interface OptionsTable<T> {
  /** The table itself, as given. */
  readonly table: T;
  /** Decodes options: `undefined`, `null` or `{}` give every default; an unknown key fails naming it and the known ones. */
  readonly codec: t.Type<OptionsOfSpecs<T>, unknown, unknown>;
  /** Each option's doc with its default (or "Required."): the probe's `optionDocs`. */
  readonly docs: Readonly<Record<keyof T & string, string>>;
  /** The defaults, by key (options without a default are absent). */
  readonly defaults: Partial<OptionsOfSpecs<T>>;
}

/** "Default X." for an option with a default; "Required." for one that must be given. */
const docWithDefault = (spec: OptionSpec<unknown>): string => {
  if (Object.hasOwn(spec, "default")) return `${spec.doc} Default: ${JSON.stringify(spec.default) ?? "undefined"}.`;
  return spec.required === true ? `${spec.doc} Required.` : spec.doc;
};

/**
 * Builds a probe's options from one table of `{ codec, default, doc }` (got's way: all
 * defaults in one place, each option checked with an error naming it, unknown keys refused).
 * A default must be a value its option's codec gives; the type check holds it to that. Give
 * the table inline (or `as const`), so that `required: true` keeps its literal type.
 *
 * ```ts
 * const acmeOptions = optionsTable(
 *   {
 *     region: { codec: t.keyof({ eu: null, us: null }), default: "eu", doc: "Where the tenant lives." },
 *     pageSize: { codec: t.number, default: 500, doc: "Devices per call." },
 *   },
 *   "AcmeOptions",
 * );
 * type AcmeOptions = OptionsOf<typeof acmeOptions>; // { readonly region: "eu" | "us"; readonly pageSize: number }
 * ```
 */
export const optionsTable = <const T extends { readonly [K in keyof T]: OptionSpec<OptionValue<T[K]>> }>(table: T, name = "Options"): OptionsTable<T> => {
  const specs = table as OptionSpecs;
  const keys = Object.keys(specs);
  const known = keys.length > 0 ? `known options: ${keys.join(", ")}` : "this probe takes no options";
  const defaults: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(specs[key] ?? {}, "default")) defaults[key] = specs[key]?.default;
  const docs = Object.fromEntries(keys.map((key) => [key, docWithDefault(specs[key] as OptionSpec<unknown>)]));

  const validate = (u: unknown, c: t.Context): t.Validation<OptionsOfSpecs<T>> => {
    const given = u === undefined || u === null ? {} : u;
    if (typeof given !== "object" || Array.isArray(given)) return t.failure(u, c, `expected a JSON object of options (got ${kindOf(u)})`);
    const fields = given as Readonly<Record<string, unknown>>;
    const failures: t.ValidationError[] = [];
    const at = (key: string, message: string): t.ValidationError => ({ value: undefined, context: [...c, { key, type: t.never, actual: undefined }], message });
    for (const key of Object.keys(fields)) if (!Object.hasOwn(specs, key)) failures.push(at(key, `unknown option "${key}"; ${known}`));
    const options: Record<string, unknown> = {};
    for (const key of keys) {
      const spec = specs[key] as OptionSpec<unknown>;
      const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (value === undefined) {
        if (Object.hasOwn(spec, "default")) options[key] = spec.default;
        else if (spec.required === true) failures.push(at(key, `required: ${spec.doc}`));
        continue;
      }
      const decoded = spec.codec.validate(value, t.appendContext(c, key, spec.codec, value));
      if (decoded._tag === "Left") failures.push(...decoded.left);
      else options[key] = decoded.right;
    }
    return failures.length > 0 ? t.failures(failures) : t.success(options as OptionsOfSpecs<T>);
  };
  /** Decoded options: an object of known keys only, every defaulted or required key present, each value one its codec takes. */
  const is = (u: unknown): u is OptionsOfSpecs<T> => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return false;
    const fields = u as Readonly<Record<string, unknown>>;
    if (Object.keys(fields).some((key) => !Object.hasOwn(specs, key))) return false;
    return keys.every((key) => {
      const spec = specs[key] as OptionSpec<unknown>;
      const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (value === undefined) return !Object.hasOwn(spec, "default") && spec.required !== true;
      return spec.codec.decode(value)._tag === "Right";
    });
  };
  return {
    table,
    codec: new t.Type<OptionsOfSpecs<T>, unknown, unknown>(name, is, validate, t.identity),
    docs: docs as Record<keyof T & string, string>,
    defaults: defaults as Partial<OptionsOfSpecs<T>>,
  };
};
