/**
 * Azure national clouds, as far as signing in goes: the preset names and the Entra ID
 * authority host of each. A probe that reads an API in these clouds keeps its own API hosts
 * and scopes next to its code (Defender's: `probes/defender365/clouds.ts`).
 *
 * Vendor doc: https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */
import * as t from "io-ts";

/** Cloud preset names accepted by a credential's `cloud` (and by a probe's `cloud` option). */
export const CLOUDS = ["commercial", "gcc", "gcc-high", "dod"] as const;

/** A cloud preset name. */
export type Cloud = (typeof CLOUDS)[number];

const isCloud = (u: unknown): u is Cloud => typeof u === "string" && (CLOUDS as readonly string[]).includes(u);

/** Decodes a cloud preset name; the error lists the names. */
export const CloudCodec = new t.Type<Cloud, Cloud, unknown>(
  "Cloud",
  isCloud,
  (u, c) => (isCloud(u) ? t.success(u) : t.failure(u, c, `expected one of ${CLOUDS.join(", ")}`)),
  t.identity,
);

/**
 * The Entra ID authority host of each cloud, without the tenant. Commercial and GCC sign in
 * at the commercial authority; GCC High and DoD at `login.microsoftonline.us`.
 */
export const AUTHORITY_HOSTS: Readonly<Record<Cloud, string>> = {
  commercial: "https://login.microsoftonline.com",
  gcc: "https://login.microsoftonline.com",
  "gcc-high": "https://login.microsoftonline.us",
  dod: "https://login.microsoftonline.us",
};
