/**
 * A scanned asset as the engine hands it to a probe: its id and the identifiers the scan saw.
 * Identifiers arrive in any spelling; correlation parses them (see `correlate/mac.ts`, `ip.ts`, `hostname.ts`).
 */
import * as t from "io-ts";

const strings = t.readonlyArray(t.string);

/** Codec of one scanned asset. `addresses`, `macs` and `names` are optional lists of raw strings. */
export const ScannedAssetCodec = t.intersection(
  [t.type({ id: t.string }), t.partial({ addresses: strings, macs: strings, names: strings, os: t.union([t.string, t.null]) })],
  "ScannedAsset",
);

/** A scanned asset: `{ id, addresses?, macs?, names?, os? }`. */
export type ScannedAsset = t.TypeOf<typeof ScannedAssetCodec>;

/** Codec of an asset list. */
export const ScannedAssetsCodec = t.readonlyArray(ScannedAssetCodec, "ScannedAssets");
