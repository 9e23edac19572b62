/**
 * Turns io-ts results into field-named problems, without echoing values (a credential's
 * values are secrets; a device's values are tenant data).
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { inputError, type InputError } from "../engine/errors.js";
import type { FieldIssue } from "../contract.js";

export type { FieldIssue } from "../contract.js";

/** A dotted path (`ipAddresses.1.type`) from an io-ts context; union and intersection members are skipped. */
export const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .filter((entry, i) => {
      const parent = context[i]?.type;
      return entry.key !== "" && !(parent instanceof t.UnionType || parent instanceof t.IntersectionType);
    })
    .map((entry) => entry.key)
    .join(".");

/** Describes what a failed value should have been, never the value itself. */
const expectation = (error: t.ValidationError): string => {
  if (error.message !== undefined) return error.message;
  const last = error.context[error.context.length - 1];
  if (last === undefined) return "invalid value";
  const got = error.value === undefined ? "missing" : `got ${kindOf(error.value)}`;
  return `expected ${last.type.name} (${got})`;
};

/** The JSON kind of a value, so an error says "got string" and not the string. */
export const kindOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

/** All problems of a failed decode, one per field, first `limit` only. */
export const issuesOf = (errors: t.Errors, limit = 20): FieldIssue[] => {
  const seen = new Map<string, string>();
  for (const error of errors) {
    const field = pathOf(error.context) || "(root)";
    if (!seen.has(field)) seen.set(field, expectation(error));
    if (seen.size >= limit) break;
  }
  return [...seen].map(([field, problem]) => ({ field, problem }));
};

/** Decodes `input` with `codec`; a failure becomes an {@link InputError} naming each field. */
export const decodeInput = <A>(codec: t.Decoder<unknown, A>, input: unknown, what: string): Either<InputError, A> => {
  const result = codec.decode(input);
  return isLeft(result) ? left(inputError(issuesOf(result.left), what)) : right(result.right);
};

/** A codec that refuses keys it does not know, naming each one (got-style strict options). */
export const strictKeys = <P extends t.Props>(props: P, name: string, hintFor: (key: string) => string) =>
  new t.Type<t.TypeOf<t.PartialC<P>>, unknown, unknown>(
    name,
    (u): u is t.TypeOf<t.PartialC<P>> => t.partial(props).is(u),
    (u, c) => {
      if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, `expected a JSON object (got ${kindOf(u)})`);
      const unknownKeys = Object.keys(u).filter((k) => !Object.prototype.hasOwnProperty.call(props, k));
      if (unknownKeys.length > 0) {
        return t.failures(unknownKeys.map((key) => ({ value: undefined, context: [...c, { key, type: t.never, actual: undefined }], message: hintFor(key) })));
      }
      return t.partial(props).validate(u, c);
    },
    t.identity,
  );

/**
 * An https URL without user:password, given back as origin plus path (no trailing slash).
 * `what` names it in the error: plain http is refused because the URL receives a secret or a token.
 */
export const httpsUrl = (what: string) =>
  new t.Type<string, string, unknown>(
    "HttpsUrl",
    (u): u is string => typeof u === "string",
    (u, c) => {
      if (typeof u !== "string") return t.failure(u, c, `expected the ${what} as an https:// URL`);
      let url: URL;
      try {
        url = new URL(u);
      } catch {
        return t.failure(u, c, `expected the ${what} as an https:// URL (this is not a URL)`);
      }
      if (url.protocol !== "https:") return t.failure(u, c, `expected https:// (the ${what} carries a bearer token or a secret; plain http is refused)`);
      if (url.username || url.password) return t.failure(u, c, "expected a URL without user:password");
      return t.success(url.origin + url.pathname.replace(/\/+$/, ""));
    },
    t.identity,
  );
