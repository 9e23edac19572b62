/** Hex digits read by the hand-written parsers (MACs, IPv6 groups). */

/** The value of the hex digit with char code `code` (either case), or -1. */
export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1; // a-f, A-F
}
