/**
 * Operating-system families, for one contradiction check: an IP alone does not tie a
 * Windows device to an asset the scanner fingerprinted as Linux, or as a printer's firmware.
 * Only families are compared; versions and editions disagree too often between sources to
 * mean anything. Also whether an OS is a server edition, whose address is assigned, not leased.
 */

/** A coarse OS family: `printer` is a printer's or print server appliance's firmware (HP JetDirect), which runs no endpoint sensor's OS. */
export type OsFamily = "windows" | "apple" | "linux" | "printer";

const FAMILIES: readonly [OsFamily, RegExp][] = [
  ["windows", /\bwin(dows)?(\s?(server|nt|xp|vista|7|8|8\.1|10|11|20\d\d))?\b|^windows/i],
  ["apple", /\b(mac\s?os|macos|os\s?x|darwin|ipados|iphone|ipad|apple\s+ios)\b|^ios\b/i],
  ["linux", /linux|ubuntu|debian|red\s?hat|\brhel|centos|suse|\bsles|fedora|alpine|rocky|almalinux|android|chrome\s?os/i],
  ["printer", /jet\s?direct|\bprinter\b|\bprint\s?server\b/i],
];

/** The family of an OS string (`Windows11`, `Ubuntu 22.04`, `embedded Linux`), or null when unknown. */
export function osFamilyOf(os: string | null | undefined): OsFamily | null {
  if (typeof os !== "string" || os.length === 0) return null;
  for (const [family, pattern] of FAMILIES) if (pattern.test(os)) return family;
  return null;
}

/**
 * True for a server edition (`WindowsServer2022`, `Windows Server 2019`, `Ubuntu Server`): its
 * address is set by hand or reserved, so it stays the host's while the host is up, even when
 * the sensor stops reporting. A client's is leased (DHCP) and passes to another host once it
 * leaves.
 */
export function isServerOs(os: string | null | undefined): boolean {
  return typeof os === "string" && /server/i.test(os);
}
