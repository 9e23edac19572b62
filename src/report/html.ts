/**
 * HTML built with a tagged template that escapes every interpolated value unless it is
 * already {@link Html}. Tenant data (device names, OS strings, error messages) only ever
 * reaches the page as text, so it cannot add markup, attributes or scripts.
 */

/** Markup that is safe to emit as is. Only this module makes one (private constructor). */
export class Html {
  private constructor(readonly text: string) {}

  /** Wraps markup this module assembled from escaped parts and template literals. */
  static trusted(text: string): Html {
    return new Html(text);
  }

  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: safe markup, text (escaped), numbers, nothing, or lists of these. */
export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
]);

/**
 * Characters that change how the text around them reads without showing themselves: bidi
 * embeddings, overrides and isolates (`invoice\u202Egpj.exe` would read as `invoiceexe.jpg`),
 * direction marks, zero-width characters, and C0/C1 controls other than tab and line ends.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are shown escaped
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

const SPECIAL = /[&<>"']/g;

/** `\u202E` for U+202E: the character shown as its escape, so it cannot reorder or hide text. */
const visibleEscape = (c: string): string => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Escapes text for an element body or a quoted attribute value. Invisible and
 * direction-changing characters are shown as `\uXXXX` instead (see {@link INVISIBLE}).
 */
export const escapeHtml = (text: string): string => text.replace(INVISIBLE, visibleEscape).replace(SPECIAL, (c) => ENTITIES.get(c) ?? c);

/** Characters of one value a table cell shows; a longer value is cut, the whole of it one click away (see {@link cellText}). */
export const CELL_CHARS = 200;

/**
 * A value from the files for a table cell: escaped, and when longer than {@link CELL_CHARS}
 * cut to that with the whole value in a closed `<details>` (not laid out until opened), so a
 * field of millions of characters cannot stall the page.
 */
export const cellText = (text: string): Html => {
  if (text.length <= CELL_CHARS) return Html.trusted(escapeHtml(text));
  const shown = escapeHtml(text.slice(0, CELL_CHARS));
  return Html.trusted(`<details class="long"><summary>${shown}… (${text.length.toLocaleString("en-US")} characters)</summary>${escapeHtml(text)}</details>`);
};

/** Characters of one value shown anywhere else on the page (an attribute, a list item); past that it is cut. */
export const TEXT_CHARS = 4_096;

/** A value cut to {@link TEXT_CHARS}, saying how long it was. */
const bounded = (text: string): string =>
  text.length <= TEXT_CHARS ? text : `${text.slice(0, TEXT_CHARS)}… (${text.length.toLocaleString("en-US")} characters)`;

const render = (part: Part): string => {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join("");
  if (part === null || part === undefined || part === false || part === true) return "";
  return escapeHtml(bounded(String(part)));
};

/**
 * Tagged template: `html`<td>${name}</td>`` escapes `name`. Attribute values must be quoted
 * in the template (`title="${x}"`); quotes inside values are escaped.
 */
export const html = (strings: TemplateStringsArray, ...values: readonly Part[]): Html => {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + (strings[i + 1] ?? "");
  return Html.trusted(out);
};

/** Joins parts (each escaped unless safe) with a separator (escaped unless safe, e.g. `html`<br>``). */
export const joinHtml = (parts: readonly Part[], separator: Part): Html => Html.trusted(parts.map(render).join(render(separator)));

/** A constant stylesheet or other markup written in this code base, never tenant data. */
export const trustedConstant = (text: string): Html => Html.trusted(text);
