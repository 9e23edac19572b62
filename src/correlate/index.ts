/**
 * Correlation core: canonical identifiers and the matching of source devices to scanned
 * assets. Pure code shared by every probe.
 */
export { parseMac, isIdentifyingMac } from "./mac.js";
export { parseIp, isIdentifyingIp } from "./ip.js";
export { parseHostname, type ParsedHostname } from "./hostname.js";
export { KNOWN_SHARED_MACS, KNOWN_SHARED_MAC_PREFIXES, KNOWN_SHARED_IPS, KNOWN_VPN_MACS, isKnownSharedMac, isKnownSharedIp } from "./known-shared.js";
export { correlate } from "./correlate.js";
export { createCorrelator, createCorrelatorPausing, ASSETS_PER_SLICE, type Correlator, type ParsedIdentifiers } from "./correlator.js";
export type { AssetEvidence, CorrelationResult, CorrelationSummary, DeviceMatch, MatchRule, SourceDevice, UnmatchedReason } from "./types.js";
