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

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/g;

/** Escapes text for an element body or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(SPECIAL, (c) => ENTITIES[c] ?? c);

const render = (part: Part): string => {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join("");
  if (part === null || part === undefined || part === false || part === true) return "";
  return escapeHtml(String(part));
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
