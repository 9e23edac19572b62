/**
 * Decoding a credential by its kind, whatever the source: a credential is a JSON object whose
 * `kind` names one of the {@link CredentialKindSpec}s a probe declares, and that kind's codec
 * decodes the rest. The kinds themselves live with their source (`src/azure/` holds one
 * source's). Errors name fields and fixes, never a value: credentials hold secrets.
 */
import * as t from "io-ts";
import type { CredentialKindSpec } from "../contract.js";

/** A failure for each of `keys` (fields of the object at `c`) with `message`: a field missing, or one to leave out. */
export const fieldFailures = <A>(c: t.Context, keys: readonly string[], message: string): t.Validation<A> =>
  t.failures(keys.map((key) => ({ value: undefined, context: [...c, { key, type: t.string, actual: undefined }], message })));

/** `u` as an object's fields, or null when it is not a JSON object. */
export const fieldsOf = (u: unknown): Readonly<Record<string, unknown>> | null =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? (u as Readonly<Record<string, unknown>>) : null;

/** The spec of `kind` among `kinds`, or undefined; `kind` is user input, compared by value only. */
export const kindSpecOf = <C>(kinds: readonly CredentialKindSpec<C>[], kind: unknown): CredentialKindSpec<C> | undefined =>
  typeof kind === "string" ? kinds.find((spec) => spec.kind === kind) : undefined;

/** The names of `kinds`, for a message: `a, b or c`. */
export const kindNames = (kinds: readonly CredentialKindSpec<unknown>[]): string => {
  const names = kinds.map((spec) => spec.kind);
  return names.length <= 1 ? (names[0] ?? "no") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1] ?? ""}`;
};

/**
 * A codec for a credential of any of `kinds`: reads `kind` first, then checks only that
 * kind's fields with its own codec, so that an error names the fields of the kind the user
 * meant. An unknown or missing kind fails on `kind`, naming the kinds accepted. Used by the
 * planner, the CLI's `--credential`, and each source's own codec of its kinds.
 */
export const credentialCodecOf = <C>(kinds: readonly CredentialKindSpec<C>[], name = "Credential"): t.Type<C, C, unknown> =>
  new t.Type<C, C, unknown>(
    name,
    (u): u is C => kinds.some((spec) => spec.codec.decode(u)._tag === "Right"),
    (u, c) => {
      const o = fieldsOf(u);
      if (o === null) return t.failure(u, c, "expected a JSON object with a kind");
      const spec = kindSpecOf(kinds, Object.hasOwn(o, "kind") ? o["kind"] : undefined);
      if (spec === undefined) return fieldFailures(c, ["kind"], `expected one of ${kinds.map((k) => k.kind).join(", ")}`);
      return spec.codec.validate(u, t.appendContext(c, "", spec.codec, u));
    },
    t.identity,
  );
