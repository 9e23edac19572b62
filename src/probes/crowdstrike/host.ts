/**
 * One Falcon host as the hosts API sends it (`DeviceapiDeviceSwagger`): only `device_id` is
 * required; the fields the probe reads are strings or null when present; every other field is
 * kept as sent (the record's `attributes` carry it), whatever its shape.
 *
 * Vendor doc: gofalcon `falcon/models/deviceapi_device_swagger.go`.
 */
import * as t from "io-ts";

const text = t.union([t.string, t.null]);

/** The host codec: tolerant of fields it does not know. */
export const HostCodec = t.intersection(
  [
    t.type({ device_id: t.string }),
    t.partial({
      cid: text,
      hostname: text,
      machine_domain: text,
      local_ip: text,
      external_ip: text,
      connection_ip: text,
      mac_address: text,
      connection_mac_address: text,
      serial_number: text,
      os_version: text,
      os_product_name: text,
      platform_name: text,
      product_type_desc: text,
      first_seen: text,
      last_seen: text,
      status: text,
      reduced_functionality_mode: text,
    }),
  ],
  "FalconHost",
);

/** A decoded host. */
export type Host = t.TypeOf<typeof HostCodec>;

/**
 * A host as the pipeline receives it from this probe's pages: the host as sent, and the time
 * before which its `last_seen` is stale (the run's clock when the page was read, less
 * `inactiveAfterDays`), so that a host is judged by its own run's settings.
 */
export interface FalconItem {
  /** The host. */
  readonly host: Host;
  /** Epoch ms: a `last_seen` before this is stale. */
  readonly staleBefore: number;
}

/** A host not yet decoded, as a page hands it over (see {@link FalconItem}). */
export interface RawFalconItem {
  /** The host as sent, undecoded. */
  readonly host: unknown;
  /** Epoch ms: a `last_seen` before this is stale. */
  readonly staleBefore: number;
}

/** The `device_id` of a host not yet decoded, when it is a string. */
export const deviceIdOf = (host: unknown): string | undefined =>
  typeof host === "object" && host !== null && typeof (host as { device_id?: unknown }).device_id === "string"
    ? (host as { device_id: string }).device_id
    : undefined;

/** True for what this probe's pages hand over. */
export const isRawFalconItem = (raw: unknown): raw is RawFalconItem =>
  typeof raw === "object" && raw !== null && Object.hasOwn(raw, "host") && typeof (raw as { staleBefore?: unknown }).staleBefore === "number";
