/**
 * Identifier parsing as an author calls it: the correlation core's parsers, documented here
 * for the SDK without the internals they hand work to.
 */
import { parseHostname as parseHostnameCore, type ParsedHostname } from "../correlate/hostname.js";

/**
 * A host name as correlation keys it: lowercased, a trailing dot dropped, its FQDN and its
 * short name (first label), or null when it is no usable host name (empty, an IP literal,
 * `localhost`, a label too long, a character outside ASCII `a-z 0-9 - _`). Never throws.
 */
export const parseHostname = (raw: string | null | undefined): ParsedHostname | null => parseHostnameCore(raw);
