/**
 * What decides one Falcon host before it is printed (`record.ts` prints it): its identity on
 * the network and its sensor's state. Synthetic hosts (`synthetic.ts`) and hosts derived
 * from a scanned network (`overlap.ts`) both produce these.
 */

/** `platform_name` values (reference §4). */
export type FalconPlatform = "Windows" | "Mac" | "Linux";

/** `product_type_desc` values (reference §4). */
export type FalconProductType = "Workstation" | "Server" | "Domain Controller";

/** The sensor's state, which decides the EDR verdict (see `FalconVerdict`). */
export interface SensorState {
  /** `last_seen`, epoch ms. */
  readonly lastSeenMs: number;
  /** `reduced_functionality_mode` "yes". */
  readonly rfm: boolean;
  /** `status` (`normal`, `contained`, `containment_pending`, `lift_containment_pending`). */
  readonly status: string;
}

/** One host, decided. */
export interface HostSpec extends SensorState {
  /** `device_id`: 32 lowercase hex. */
  readonly id: string;
  /** Seeds the filler fields (BIOS, agent version, policies…): a pure function of it. */
  readonly key: number;
  readonly platform: FalconPlatform;
  readonly productType: FalconProductType;
  /** `hostname` as the sensor reports it. */
  readonly hostname: string;
  /** `machine_domain`, or null (field left out). */
  readonly domain: string | null;
  /** `local_ip`. */
  readonly localIp: string;
  /** Primary MAC, 12 hex digits (printed lowercase with dashes). */
  readonly mac: string;
  /** `serial_number`, or null (field left out). */
  readonly serial: string | null;
  /**
   * `external_ip`: the public address the sensor reached Falcon from, the same site NAT pool a
   * Defender device of that site reports (correlation reads it as site evidence); absent: a
   * random documentation address.
   */
  readonly egress?: string | undefined;
  /** `first_seen`, epoch ms. */
  readonly firstSeenMs: number;
}
