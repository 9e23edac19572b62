/**
 * The `$filter` subset of the machines API (reference §4): `eq ne gt ge lt le` on the
 * documented filterable properties, `and`, `or`, `not`, parentheses,
 * `startswith(computerDnsName,'x')` and `machineTags/any(t: t eq 'X')`. Strings are single
 * quoted (`''` escapes a quote), datetimes unquoted (`lastSeen gt 2024-01-01T00:00:00Z`,
 * `lastSeen ge 2018-08-01Z`), numbers bare. Anything else is a `FilterError`.
 *
 * String comparisons ignore case (the service's behaviour is undocumented; this is the
 * lenient guess). Property names are matched case-insensitively.
 */

/** A `$filter` the simulator cannot parse or does not support; the message follows OData's wording. */
export class FilterError extends Error {}

type FieldType = "string" | "number" | "datetime" | "collection";

/** Filterable machine properties and their OData types (reference §4). */
export const FILTERABLE: Readonly<Record<string, FieldType>> = {
  computerDnsName: "string",
  id: "string",
  version: "string",
  deviceValue: "string",
  aadDeviceId: "string",
  machineTags: "collection",
  lastSeen: "datetime",
  exposureLevel: "string",
  onboardingStatus: "string",
  lastIpAddress: "string",
  healthStatus: "string",
  osPlatform: "string",
  riskScore: "string",
  rbacGroupId: "number",
};
const BY_LOWER = new Map(Object.keys(FILTERABLE).map((k) => [k.toLowerCase(), k]));

type Op = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
type Literal =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "datetime"; readonly value: string }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" };

/** A parsed filter. */
export type FilterNode =
  | { readonly t: "and" | "or"; readonly l: FilterNode; readonly r: FilterNode }
  | { readonly t: "not"; readonly e: FilterNode }
  | { readonly t: "cmp"; readonly op: Op; readonly field: string; readonly value: Literal }
  | { readonly t: "var-cmp"; readonly op: Op; readonly value: Literal }
  | { readonly t: "startswith"; readonly field: string; readonly prefix: string }
  | { readonly t: "any"; readonly field: string; readonly body: FilterNode };

type Token =
  | { readonly k: "punct"; readonly v: string; readonly at: number }
  | { readonly k: "string"; readonly v: string; readonly at: number }
  | { readonly k: "datetime"; readonly v: string; readonly at: number }
  | { readonly k: "number"; readonly v: string; readonly at: number }
  | { readonly k: "ident"; readonly v: string; readonly at: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?(?:Z|[+-]\d{2}:\d{2})?/;
const NUMBER = /^-?\d+(?:\.\d+)?(?![\w-])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

const tokenize = (text: string): Token[] => {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ("(),:/".includes(c)) {
      out.push({ k: "punct", v: c, at: i });
      i++;
      continue;
    }
    if (c === "'") {
      let v = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new FilterError(`There is an unterminated string literal at position ${i} in '${text}'.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += text[j];
        j++;
      }
      out.push({ k: "string", v, at: i });
      i = j + 1;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt !== null) {
      out.push({ k: "datetime", v: dt[0], at: i });
      i += dt[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num !== null) {
      out.push({ k: "number", v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id !== null) {
      out.push({ k: "ident", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    throw new FilterError(`Syntax error: character '${c}' is not valid at position ${i} in '${text}'.`);
  }
  return out;
};

/** A datetime as a sortable UTC key `YYYY-MM-DDTHH:MM:SS.fffffff`; null when unparsable. */
export const datetimeKey = (text: string): string | null => {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (m === null) return null;
  const [, date, hh = "00", mm = "00", ss = "00", frac = "", zone = "Z"] = m;
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${zone}`);
  if (Number.isNaN(ms)) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac.padEnd(7, "0")}`;
};

const OPS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const OP_NAMES: Record<Op, string> = { eq: "Equal", ne: "NotEqual", gt: "GreaterThan", ge: "GreaterThanOrEqual", lt: "LessThan", le: "LessThanOrEqual" };
const EDM: Record<Literal["kind"], string> = { string: "Edm.String", number: "Edm.Int32", datetime: "Edm.DateTimeOffset", bool: "Edm.Boolean", null: "null" };
const EDM_FIELD: Record<FieldType, string> = {
  string: "Edm.String",
  number: "Edm.Int32",
  datetime: "Edm.DateTimeOffset",
  collection: "Collection(Edm.String)",
};

class Parser {
  private pos = 0;
  private lambdaVar: string | null = null;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.k === "ident" && t.v.toLowerCase() === word;
  }

  private expectPunct(p: string): void {
    const t = this.peek();
    if (t?.k !== "punct" || t.v !== p) throw new FilterError(`Syntax error: '${p}' expected at position ${t?.at ?? this.text.length} in '${this.text}'.`);
    this.pos++;
  }

  parse(): FilterNode {
    if (this.tokens.length === 0) throw new FilterError("The $filter expression is empty.");
    const node = this.or();
    const t = this.peek();
    if (t !== undefined) throw new FilterError(`Syntax error at position ${t.at} in '${this.text}'.`);
    return node;
  }

  private or(): FilterNode {
    let l = this.and();
    while (this.isWord("or")) {
      this.pos++;
      l = { t: "or", l, r: this.and() };
    }
    return l;
  }

  private and(): FilterNode {
    let l = this.unary();
    while (this.isWord("and")) {
      this.pos++;
      l = { t: "and", l, r: this.unary() };
    }
    return l;
  }

  private unary(): FilterNode {
    if (this.isWord("not")) {
      this.pos++;
      return { t: "not", e: this.unary() };
    }
    return this.primary();
  }

  private field(token: Token): string {
    const name = BY_LOWER.get(token.v.toLowerCase());
    if (name === undefined) {
      throw new FilterError(
        `Could not find a property named '${token.v}' on type 'microsoft.windowsDefenderATP.api.PublicAssetDto', or filtering on it is not supported.`,
      );
    }
    return name;
  }

  private literal(): Literal {
    const t = this.peek();
    this.pos++;
    if (t === undefined) throw new FilterError(`Syntax error: a value is expected at the end of '${this.text}'.`);
    switch (t.k) {
      case "string":
        return { kind: "string", value: t.v };
      case "number":
        return { kind: "number", value: Number(t.v) };
      case "datetime": {
        const key = datetimeKey(t.v);
        if (key === null)
          throw new FilterError(
            `The DateTimeOffset text '${t.v}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`,
          );
        return { kind: "datetime", value: key };
      }
      case "ident": {
        const w = t.v.toLowerCase();
        if (w === "null") return { kind: "null" };
        if (w === "true" || w === "false") return { kind: "bool", value: w === "true" };
        break;
      }
      case "punct":
        break;
    }
    throw new FilterError(`Syntax error: '${t.v}' at position ${t.at} is not a literal in '${this.text}'.`);
  }

  private op(): Op {
    const t = this.peek();
    const w = t?.k === "ident" ? t.v.toLowerCase() : "";
    if (!OPS.has(w))
      throw new FilterError(
        `Syntax error: a comparison operator (eq, ne, gt, ge, lt, le) is expected at position ${t?.at ?? this.text.length} in '${this.text}'.`,
      );
    this.pos++;
    return w as Op;
  }

  private primary(): FilterNode {
    const t = this.peek();
    if (t === undefined) throw new FilterError(`Syntax error: an expression is expected at the end of '${this.text}'.`);
    if (t.k === "punct" && t.v === "(") {
      this.pos++;
      const inner = this.or();
      this.expectPunct(")");
      return inner;
    }
    if (t.k !== "ident")
      throw new FilterError(`Syntax error: a property name is expected at position ${t.at} in '${this.text}'; put the property on the left of the operator.`);
    this.pos++;
    const next = this.peek();
    if (next?.k === "punct" && next.v === "(") return this.call(t);
    if (next?.k === "punct" && next.v === "/") return this.lambda(t);
    if (this.lambdaVar !== null && t.v === this.lambdaVar) {
      const op = this.op();
      const value = this.literal();
      if (value.kind !== "string")
        throw new FilterError(
          `A binary operator with incompatible types was detected. Found operand types 'Edm.String' and '${EDM[value.kind]}' for operator kind '${OP_NAMES[op]}'.`,
        );
      return { t: "var-cmp", op, value };
    }
    const field = this.field(t);
    const op = this.op();
    const value = this.literal();
    const type = FILTERABLE[field] ?? "string";
    const compatible =
      value.kind === "null"
        ? op === "eq" || op === "ne"
        : (type === "string" && value.kind === "string") ||
          (type === "number" && value.kind === "number") ||
          (type === "datetime" && value.kind === "datetime");
    if (!compatible)
      throw new FilterError(
        `A binary operator with incompatible types was detected. Found operand types '${EDM_FIELD[type]}' and '${EDM[value.kind]}' for operator kind '${OP_NAMES[op]}'.`,
      );
    return { t: "cmp", op, field, value };
  }

  private call(name: Token): FilterNode {
    if (name.v.toLowerCase() !== "startswith")
      throw new FilterError(
        `An unknown function with name '${name.v}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
      );
    this.expectPunct("(");
    const f = this.peek();
    if (f?.k !== "ident") throw new FilterError(`Syntax error: a property name is expected in startswith in '${this.text}'.`);
    this.pos++;
    const field = this.field(f);
    if (FILTERABLE[field] !== "string")
      throw new FilterError(
        `No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
    this.expectPunct(",");
    const lit = this.literal();
    if (lit.kind !== "string")
      throw new FilterError(
        `No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
    this.expectPunct(")");
    return { t: "startswith", field, prefix: lit.value };
  }

  private lambda(name: Token): FilterNode {
    const field = this.field(name);
    if (FILTERABLE[field] !== "collection")
      throw new FilterError(
        `The parent value for a property access of a property 'any' is not a single value. Property access can only be applied to a single value.`,
      );
    this.expectPunct("/");
    if (!this.isWord("any")) throw new FilterError(`Only the lambda operator 'any' is supported on '${field}'.`);
    this.pos++;
    this.expectPunct("(");
    const v = this.peek();
    if (v?.k !== "ident") throw new FilterError(`Syntax error: a range variable is expected in '${this.text}'.`);
    this.pos++;
    this.expectPunct(":");
    const outer = this.lambdaVar;
    this.lambdaVar = v.v;
    const body = this.or();
    this.lambdaVar = outer;
    this.expectPunct(")");
    return { t: "any", field, body };
  }
}

/** Parses a `$filter` value; throws FilterError. */
export const parseFilter = (text: string): FilterNode => new Parser(tokenize(text), text).parse();

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

const test = (op: Op, actual: unknown, lit: Literal): boolean => {
  if (lit.kind === "null") return op === "eq" ? actual === null || actual === undefined : actual !== null && actual !== undefined;
  if (actual === null || actual === undefined) return op === "ne";
  let c: number;
  if (lit.kind === "datetime") {
    const key = typeof actual === "string" ? datetimeKey(actual) : null;
    if (key === null) return op === "ne";
    c = compare(key, lit.value);
  } else if (lit.kind === "number") {
    if (typeof actual !== "number") return op === "ne";
    c = compare(actual, lit.value);
  } else if (lit.kind === "string") {
    c = compare((typeof actual === "string" ? actual : JSON.stringify(actual)).toLowerCase(), lit.value.toLowerCase());
  } else {
    c = actual === lit.value ? 0 : 1;
  }
  switch (op) {
    case "eq":
      return c === 0;
    case "ne":
      return c !== 0;
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
  }
};

/** Evaluates a parsed filter on one machine record (`item` is the lambda variable's value). */
export const matches = (node: FilterNode, machine: Record<string, unknown>, item?: unknown): boolean => {
  switch (node.t) {
    case "and":
      return matches(node.l, machine, item) && matches(node.r, machine, item);
    case "or":
      return matches(node.l, machine, item) || matches(node.r, machine, item);
    case "not":
      return !matches(node.e, machine, item);
    case "cmp":
      return test(node.op, machine[node.field], node.value);
    case "var-cmp":
      return test(node.op, item, node.value);
    case "startswith": {
      const v = machine[node.field];
      return typeof v === "string" && v.toLowerCase().startsWith(node.prefix.toLowerCase());
    }
    case "any": {
      const list = machine[node.field];
      return Array.isArray(list) && list.some((x) => matches(node.body, machine, x));
    }
  }
};
