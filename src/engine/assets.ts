/**
 * A scanned asset as the engine hands it to a probe: its id and the identifiers the scan saw.
 * Identifiers arrive in any spelling; correlation parses them (see `correlate/mac.ts`, `ip.ts`, `hostname.ts`).
 */
import * as t from "io-ts";
import type { ScannedAsset } from "../contract.js";
import { isIpSpelling } from "../correlate/ip.js";
import { isMacSpelling } from "../correlate/mac.js";

const strings = t.readonlyArray(t.string);

/** A string that `accepts`, else a failure with `fix`. */
const spelling = (name: string, accepts: (text: string) => boolean, fix: string) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === "string" && accepts(u),
    (u, c) => (typeof u === "string" && accepts(u) ? t.success(u) : t.failure(u, c, fix)),
    t.identity,
  );

/**
 * An address as correlation reads it. Another text would be left out of matching without a
 * word, and the asset could be called missing by a device that has that address.
 */
const IpAddress = spelling("IpAddress", isIpSpelling, "expected an IP address alone, as 10.0.0.7 or fd00::7 (no prefix length, port or leading zeros)");
/** A MAC as correlation reads it (see {@link IpAddress}). */
const MacAddress = spelling("MacAddress", isMacSpelling, "expected a MAC address, as 00:1a:2b:3c:4d:5e, 00-1A-2B-3C-4D-5E, 001a2b3c4d5e or 001a.2b3c.4d5e");

/**
 * Codec of one scanned asset. `addresses`, `macs` and `names` are optional lists of raw strings;
 * an address or a MAC must be one in a spelling correlation reads (any common one).
 * `site` (optional) names the network the scanner found the asset in (a site, an office, a
 * scan range: any label, the same for every asset found there); correlation uses it to tell
 * which devices were on that network (see `AssetEvidence.site`). Without it, an asset's subnet
 * stands for its site.
 */
export const ScannedAssetCodec: t.Type<ScannedAsset, unknown, unknown> = t.intersection(
  [
    t.type({ id: t.string }),
    t.partial({ addresses: t.readonlyArray(IpAddress), macs: t.readonlyArray(MacAddress), names: strings, os: t.union([t.string, t.null]), site: t.string }),
  ],
  "ScannedAsset",
);

export type { ScannedAsset } from "../contract.js";

/** Codec of an asset list. */
export const ScannedAssetsCodec = t.readonlyArray(ScannedAssetCodec, "ScannedAssets");
