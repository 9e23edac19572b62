/**
 * The `sort` parameter: `field.asc|desc` (or `field|asc`, seen in one mock). Device-id order
 * is index order, so the default `device_id.asc` costs nothing.
 */
import { FqlError } from "./fql.js";

/** A parsed sort. */
export interface HostSort {
  readonly field: string;
  readonly descending: boolean;
}

/** The combined endpoint's default. */
export const DEFAULT_SORT: HostSort = { field: "device_id", descending: false };

/** Parses `sort`; FqlError on a malformed one. */
export const parseSort = (sort: string | null): HostSort => {
  if (sort === null || sort === "") return DEFAULT_SORT;
  const m = /^([a-z_][a-z0-9_]*)(?:[.|](asc|desc))?$/i.exec(sort);
  if (m === null) throw new FqlError(`sort: expected field.asc or field.desc, got '${sort.slice(0, 60)}'`);
  return { field: (m[1] ?? "device_id").toLowerCase(), descending: (m[2] ?? "asc").toLowerCase() === "desc" };
};
