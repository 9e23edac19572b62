/**
 * Operating-system families for the report. Defender says `WindowsServer2022 21H2` or
 * `Ubuntu 22.4`; a network scan says `Microsoft Windows Server 2022` or `Linux 5.15`. Both
 * land in the same family, so an asset counts under one row whichever side named its OS.
 */

/** A family and its place in lists: servers first, devices with no known OS last. */
export interface OsFamily {
  readonly label: string;
  readonly rank: number;
}

const FAMILIES: readonly (readonly [RegExp, OsFamily])[] = [
  [/windows\s*server|windowsserver/i, { label: "Windows Server", rank: 0 }],
  [/linux|ubuntu|debian|red\s*hat|\brhel\b|centos|suse|\bsles\b|fedora|alpine|rocky/i, { label: "Linux", rank: 1 }],
  [/windows\s*11/i, { label: "Windows 11", rank: 2 }],
  [/windows\s*10/i, { label: "Windows 10", rank: 3 }],
  [/windows/i, { label: "Windows (other)", rank: 4 }],
  [/mac\s*os|os\s*x|darwin/i, { label: "macOS", rank: 5 }],
  [/android|\bios\b|ipados|iphone|ipad/i, { label: "iOS, Android", rank: 6 }],
];

const OTHER: OsFamily = { label: "Other", rank: 7 };
const UNKNOWN: OsFamily = { label: "OS not known", rank: 8 };

/** The family of an OS string from either side; `OS not known` for null or blank. */
export const osFamily = (os: string | null | undefined): OsFamily => {
  if (typeof os !== "string" || os.trim() === "") return UNKNOWN;
  for (const [pattern, family] of FAMILIES) if (pattern.test(os)) return family;
  return OTHER;
};
