/**
 * Number, percentage and time formatting for the report: fixed locale (`en-US`) and UTC, so
 * a report reads the same wherever it is made.
 */
const INTEGER = new Intl.NumberFormat("en-US");

/** `12,345`. */
export const count = (n: number): string => INTEGER.format(n);

/** Share of `total` as a percentage for people: `79.5%`, `<0.1%` for a small non-zero share, `–` for no total. */
export const percent = (n: number, total: number): string => {
  if (total <= 0) return "–";
  const value = (n / total) * 100;
  if (n > 0 && value < 0.1) return "<0.1%";
  if (n < total && value > 99.9) return ">99.9%";
  return `${value.toFixed(value === 0 || value === 100 ? 0 : 1)}%`;
};

/** Share of `total` as a CSS width (`12.345%`), 0 for no total. */
export const width = (n: number, total: number): string => `${total > 0 ? Math.round((n / total) * 100_000) / 1000 : 0}%`;

/** `2025-06-03 07:41 UTC` from ISO 8601; the input unchanged when it does not parse. */
export const dateTime = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
};

/** `2025-06-03` from ISO 8601; the input unchanged when it does not parse. */
export const date = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 10);
};
