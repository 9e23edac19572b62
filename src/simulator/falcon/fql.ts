/**
 * The part of FQL (Falcon Query Language, reference §3.6) the simulator understands:
 * `field:'value'` terms joined by `+` (AND; a `+` the query string decoded to a blank counts
 * too), with the operators `:>=`, `:<=`, `:>`, `:<`, `:!` (not), `:*` (wildcard `*`) and plain
 * `:` (equals, case-insensitive), a value quoted or bare, or a `['a','b']` list (any of). OR
 * (`,` between terms) and parentheses are refused with a message saying so. Time fields
 * compare as instants; other fields as text.
 */

/** A parsed filter: tells whether a host record matches. */
export type HostFilter = (record: Readonly<Record<string, unknown>>) => boolean;

/** A filter the simulator cannot read; the message goes into a 400. */
export class FqlError extends Error {}

type Op = ">=" | "<=" | ">" | "<" | "!" | "*" | "=";

interface Term {
  readonly field: string;
  readonly op: Op;
  readonly values: readonly string[];
}

const TIME_FIELDS = new Set(["first_seen", "last_seen", "modified_timestamp", "agent_local_time", "last_login_timestamp", "slow_changing_modified_timestamp"]);

/** Reads one value (quoted, a list, or bare) at `at`; returns the values and the index after. */
const readValue = (s: string, at: number): [string[], number] => {
  const c = s[at];
  if (c === "'" || c === '"') {
    const end = s.indexOf(c, at + 1);
    if (end < 0) throw new FqlError(`unterminated quote at ${at}`);
    return [[s.slice(at + 1, end)], end + 1];
  }
  if (c === "[") {
    const end = s.indexOf("]", at);
    if (end < 0) throw new FqlError(`unterminated list at ${at}`);
    const values = s
      .slice(at + 1, end)
      .split(",")
      .map((v) => v.trim().replace(/^(['"])(.*)\1$/, "$2"));
    return [values, end + 1];
  }
  let end = at;
  while (end < s.length && !/[+\s,()]/.test(s[end] ?? "")) end++;
  if (end === at) throw new FqlError(`missing value at ${at}`);
  return [[s.slice(at, end)], end];
};

/** Parses `filter` into terms; FqlError on what the simulator does not read. */
const parseTerms = (filter: string): Term[] => {
  const terms: Term[] = [];
  let at = 0;
  const skipJoin = (): void => {
    while (at < filter.length && /[+\s]/.test(filter[at] ?? "")) at++;
  };
  skipJoin();
  while (at < filter.length) {
    const c = filter[at];
    if (c === "(" || c === ")") throw new FqlError("parentheses are not supported by the simulated Falcon cloud");
    if (c === ",") throw new FqlError("OR (',') is not supported by the simulated Falcon cloud");
    const m = /^([a-z_][a-z0-9_.]*):(>=|<=|>|<|!|\*|~)?/i.exec(filter.slice(at));
    if (m === null) throw new FqlError(`expected field:value at position ${at}`);
    const [whole, field = "", rawOp] = m;
    if (rawOp === "~") throw new FqlError("the ':~' operator is not supported by the simulated Falcon cloud");
    at += whole.length;
    const [values, next] = readValue(filter, at);
    at = next;
    terms.push({ field: field.toLowerCase(), op: (rawOp ?? "=") as Op, values });
    if (filter[at] === ",") throw new FqlError("OR (',') is not supported by the simulated Falcon cloud");
    skipJoin();
  }
  if (terms.length === 0) throw new FqlError("empty filter");
  return terms;
};

const wildcard = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );

const termMatches = (term: Term, record: Readonly<Record<string, unknown>>): boolean => {
  const raw = record[term.field];
  const texts = (Array.isArray(raw) ? (raw as unknown[]) : [raw])
    .filter((v): v is string | number | boolean => ["string", "number", "boolean"].includes(typeof v))
    .map(String);
  const time = TIME_FIELDS.has(term.field);
  const one = (text: string, value: string): boolean => {
    if (term.op === "*") return wildcard(value).test(text);
    if (term.op === "=" || term.op === "!") return text.toLowerCase() === value.toLowerCase();
    const [a, b] = time ? [Date.parse(text), Date.parse(value)] : [text, value];
    if (term.op === ">=") return a >= b;
    if (term.op === "<=") return a <= b;
    if (term.op === ">") return a > b;
    return a < b;
  };
  const any = texts.some((t) => term.values.some((v) => one(t, v)));
  return term.op === "!" ? !any : any;
};

/** Parses a filter; FqlError (its message fit for a 400) on what the simulator does not read. */
export const parseFilter = (filter: string): HostFilter => {
  const terms = parseTerms(filter);
  for (const t of terms)
    if (TIME_FIELDS.has(t.field) && t.op !== "=" && t.op !== "!" && t.values.some((v) => Number.isNaN(Date.parse(v))))
      throw new FqlError(`${t.field}: expected an ISO 8601 timestamp such as '2025-06-01T00:00:00Z'`);
  return (record) => terms.every((t) => termMatches(t, record));
};
