/**
 * The Defender for Endpoint machine entity (`GET /api/machines`), as an io-ts codec.
 *
 * Lenient where Microsoft drifts: every field but `id`, `healthStatus` and
 * `onboardingStatus` may be missing or null, enum-like fields are open strings (a value
 * Microsoft adds later keeps the device), and unknown fields are kept (they flow into the
 * record's `attributes`). Strict where a wrong type means the record cannot be trusted.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/machine
 */
import * as t from "io-ts";

/** `c | null | undefined`, checking null first (measurably faster than `t.union`). */
export const nullable = <C extends t.Mixed>(codec: C) =>
  new t.Type<t.TypeOf<C> | null | undefined, t.OutputOf<C> | null | undefined, unknown>(
    `${codec.name} | null`,
    (u): u is t.TypeOf<C> | null | undefined => u === null || u === undefined || codec.is(u),
    (u, c) => (u === null || u === undefined ? t.success(u) : codec.validate(u, c)),
    (a) => (a === null || a === undefined ? a : (codec.encode(a) as t.OutputOf<C>)),
  );

/** Health states documented by Microsoft; others may appear and are kept as they are. */
export const HEALTH_STATUSES = ["Active", "Inactive", "ImpairedCommunication", "NoSensorData", "NoSensorDataImpairedCommunication", "Unknown"] as const;

/** Onboarding states documented by Microsoft. Only `Onboarded` means a sensor is installed. */
export const ONBOARDING_STATUSES = ["Onboarded", "CanBeOnboarded", "Unsupported", "InsufficientInfo"] as const;

/** One `ipAddresses[]` entry: an address on an adapter. */
export const IpAddressEntryCodec = t.type(
  {
    ipAddress: nullable(t.string),
    macAddress: nullable(t.string),
    type: nullable(t.string),
    operationalStatus: nullable(t.string),
  },
  "IpAddressEntry",
);

/** `vmMetadata` of cloud machines. */
export const VmMetadataCodec = t.type(
  {
    vmId: nullable(t.string),
    cloudProvider: nullable(t.string),
    resourceId: nullable(t.string),
    subscriptionId: nullable(t.string),
  },
  "VmMetadata",
);

const str = nullable(t.string);

/** One machine. Field order follows the API's. */
export const MachineCodec = t.type(
  {
    id: t.string,
    mergedIntoMachineId: str,
    isPotentialDuplication: nullable(t.boolean),
    isExcluded: nullable(t.boolean),
    exclusionReason: str,
    computerDnsName: str,
    firstSeen: str,
    lastSeen: str,
    osPlatform: str,
    osVersion: str,
    osProcessor: str,
    version: str,
    lastIpAddress: str,
    lastExternalIpAddress: str,
    agentVersion: str,
    osBuild: nullable(t.number),
    healthStatus: t.string,
    deviceValue: str,
    rbacGroupId: nullable(t.union([t.number, t.string])),
    rbacGroupName: str,
    riskScore: str,
    exposureLevel: str,
    isAadJoined: nullable(t.boolean),
    aadDeviceId: str,
    machineTags: nullable(t.array(t.string)),
    defenderAvStatus: str,
    onboardingStatus: t.string,
    osArchitecture: str,
    managedBy: str,
    managedByStatus: str,
    ipAddresses: nullable(t.array(IpAddressEntryCodec)),
    vmMetadata: nullable(VmMetadataCodec),
  },
  "Machine",
);

/** A decoded machine (unknown extra fields are still on the object). */
export type Machine = t.TypeOf<typeof MachineCodec>;

/** The list envelope. `value` items are decoded one by one so that one broken device is skipped, not the page. */
export const MachinePageCodec = t.type(
  {
    value: t.array(t.unknown),
  },
  "MachinePage",
);
