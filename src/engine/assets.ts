/**
 * A scanned asset as the engine hands it to a probe: its id and the identifiers the scan saw.
 * Identifiers arrive in any spelling; correlation parses them (see `correlate/mac.ts`, `ip.ts`, `hostname.ts`).
 */
import * as t from "io-ts";
import type { ScannedAsset } from "../contract.js";

const strings = t.readonlyArray(t.string);

/**
 * Codec of one scanned asset. `addresses`, `macs` and `names` are optional lists of raw strings.
 * `site` (optional) names the network the scanner found the asset in (a site, an office, a
 * scan range: any label, the same for every asset found there); correlation uses it to tell
 * which devices were on that network (see `AssetEvidence.site`). Without it, an asset's subnet
 * stands for its site.
 */
export const ScannedAssetCodec: t.Type<ScannedAsset, unknown, unknown> = t.intersection(
  [t.type({ id: t.string }), t.partial({ addresses: strings, macs: strings, names: strings, os: t.union([t.string, t.null]), site: t.string })],
  "ScannedAsset",
);

export type { ScannedAsset } from "../contract.js";

/** Codec of an asset list. */
export const ScannedAssetsCodec = t.readonlyArray(ScannedAssetCodec, "ScannedAssets");
