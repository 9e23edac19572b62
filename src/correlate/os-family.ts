/**
 * Operating-system families, for one contradiction check: an IP alone does not tie a
 * Windows device to an asset the scanner fingerprinted as Linux. Only families are compared;
 * versions and editions disagree too often between sources to mean anything.
 */

/** A coarse OS family. */
export type OsFamily = "windows" | "apple" | "linux";

const FAMILIES: readonly [OsFamily, RegExp][] = [
  ["windows", /\bwin(dows)?(\s?(server|nt|xp|vista|7|8|8\.1|10|11|20\d\d))?\b|^windows/i],
  ["apple", /\b(mac\s?os|macos|os\s?x|darwin|ipados|iphone|ipad|apple\s+ios)\b|^ios\b/i],
  ["linux", /linux|ubuntu|debian|red\s?hat|\brhel|centos|suse|\bsles|fedora|alpine|rocky|almalinux|android|chrome\s?os/i],
];

/** The family of an OS string (`Windows11`, `Ubuntu 22.04`, `embedded Linux`), or null when unknown. */
export function osFamilyOf(os: string | null | undefined): OsFamily | null {
  if (typeof os !== "string" || os.length === 0) return null;
  for (const [family, pattern] of FAMILIES) if (pattern.test(os)) return family;
  return null;
}
