/**
 * The bounds every list read is held to, against a hostile or broken service, with the same
 * defaults in every probe (each exposes them as the options `maxPageBytes`, `pageDeadlineMs`
 * and `maxDevices`).
 */

/** Default of `maxPageBytes`: far above a 10,000-device page of whole records (tens of MB), below what one JavaScript string can hold. */
export const DEFAULT_MAX_PAGE_BYTES = 256 * 1024 * 1024;

/** Largest `maxPageBytes`: a body is read into one string, and V8 caps a string at about 512 MiB. */
export const MAX_MAX_PAGE_BYTES = 512 * 1024 * 1024 - 64 * 1024;

/** Default of `pageDeadlineMs`: a 60 MB page in 10 minutes is 100 KB/s, far below any working link. */
export const DEFAULT_PAGE_DEADLINE_MS = 10 * 60 * 1000;

/** Default of `maxDevices`: well above the largest estates, a bound on a list that never ends (and on the memory and spool it fills). */
export const DEFAULT_MAX_DEVICES = 5_000_000;
