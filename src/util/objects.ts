/** Small helpers for plain objects. */

/** A copy of `o` without the keys whose value is undefined, so that spreading it over defaults keeps the defaults. */
export const withoutUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
