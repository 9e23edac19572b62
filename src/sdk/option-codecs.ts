/**
 * Codecs of the option kinds most probes have: the scan engine's own switches
 * (`excludeUnknown`, `includeInactive`, `siteId`) and bounded whole numbers (page sizes, day
 * counts, limits). Their messages say what is expected, never echo the value, and read the
 * same in every probe.
 */
import * as t from "io-ts";

/** `true` or `false`. */
export const booleanOption = (name: string): t.Type<boolean, boolean, unknown> =>
  new t.Type<boolean, boolean, unknown>(
    name,
    t.boolean.is,
    (u, c) => (typeof u === "boolean" ? t.success(u) : t.failure(u, c, "expected true or false")),
    t.identity,
  );

/** The engine's site for new assets: a non-empty string, or null. */
export const siteIdOption: t.Type<string | null, string | null, unknown> = new t.Type<string | null, string | null, unknown>(
  "SiteId",
  (u): u is string | null => u === null || typeof u === "string",
  (u, c) => (u === null || (typeof u === "string" && u.length > 0) ? t.success(u) : t.failure(u, c, "expected a site id string, or null")),
  t.identity,
);

/** A whole number from `min` to `max`; `unit` names what it counts in the message (`days`, `hosts`). */
export const wholeNumberOption = (name: string, min: number, max: number, unit: string): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= min && u <= max,
    (u, c) =>
      typeof u === "number" && Number.isInteger(u) && u >= min && u <= max
        ? t.success(u)
        : t.failure(u, c, `expected a whole number of ${unit} from ${min} to ${max}`),
    t.identity,
  );
