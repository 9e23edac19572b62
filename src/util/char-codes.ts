/**
 * Char codes (and UTF-8 bytes: all are ASCII) of JSON's structural characters and the line
 * ends, for the code that reads or writes JSON and JSON lines a character or a byte at a time.
 */

/** `"` */
export const QUOTE = 0x22;
/** `\` */
export const BACKSLASH = 0x5c;
/** `,` */
export const COMMA = 0x2c;
/** `{` */
export const OPEN_BRACE = 0x7b;
/** `}` */
export const CLOSE_BRACE = 0x7d;
/** `[` */
export const OPEN_BRACKET = 0x5b;
/** `]` */
export const CLOSE_BRACKET = 0x5d;
/** `\n`: ends each JSON line. */
export const LINE_FEED = 0x0a;
/** `\r` */
export const CARRIAGE_RETURN = 0x0d;
/** `:` */
export const COLON = 0x3a;
