/**
 * Reading query parameters the way the hosts API checks them: `limit` within a range,
 * integer offsets, repeated `ids`. A bad value becomes a 400 answer naming it.
 */
import type { Answer } from "./envelope.js";
import { errorAnswer } from "./envelope.js";

/** A value, or the 400 to send instead. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly answer: Answer };

/** `limit`: an integer in [min, max], `fallback` when absent. */
export const limitParam = (q: URLSearchParams, min: number, max: number, fallback: number): Checked<number> => {
  const raw = q.get("limit");
  if (raw === null || raw === "") return { ok: true, value: fallback };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    return {
      ok: false,
      answer: errorAnswer(400, `Invalid limit '${raw.slice(0, 40)}': limit must be between ${min} and ${max}`, "device-api", { resources: [] }),
    };
  return { ok: true, value: n };
};

/** An integer `offset` ≥ 0, 0 when absent. */
export const intOffsetParam = (q: URLSearchParams): Checked<number> => {
  const raw = q.get("offset");
  if (raw === null || raw === "") return { ok: true, value: 0 };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    return { ok: false, answer: errorAnswer(400, `Invalid offset '${raw.slice(0, 40)}': expected an integer`, "device-api", { resources: [] }) };
  return { ok: true, value: n };
};
