/**
 * `MachineCodec.is`, written out field by field: the decode's fast path. io-ts checks a
 * record through a loop of keyed property reads and a call per field; reading each field by
 * name, as this does, lets V8 use the one shape every machine of a page shares, several
 * times faster (docs/benchmark.md).
 *
 * It must never accept what the codec refuses: it is the codec's `is` or stricter. It refuses
 * a missing field even where the codec's decode would take it as null (as io-ts's `is` does),
 * and anything that is not a plain object; the caller then runs the full decode, which
 * decides. `tests/probes/defender365/machine-guard.property.test.ts` checks, field by field of the codec
 * itself, that the two agree, so a field added to the codec and not here fails that test.
 */
import type { Machine } from "./machine.js";

/** A string. */
const isString = (value: unknown): boolean => typeof value === "string";
/** A string, or null (a missing field is refused). */
const isNullableString = (value: unknown): boolean => value === null || typeof value === "string";
/** A boolean, or null. */
const isNullableBoolean = (value: unknown): boolean => value === null || typeof value === "boolean";
/** A number, or null. */
const isNullableNumber = (value: unknown): boolean => value === null || typeof value === "number";

/** A plain object (what `JSON.parse` makes of `{…}`), not an array, not null. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** Null, or an array whose every element passes `isElement` (`machineTags`, `ipAddresses`). */
const isNullOrArrayOf = (value: unknown, isElement: (element: unknown) => boolean): boolean => {
  if (value === null) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isElement(value[i])) return false;
  return true;
};

/** One entry of `ipAddresses`. */
const isIpAddressEntry = (value: unknown): boolean =>
  isPlainObject(value) &&
  isNullableString(value["ipAddress"]) &&
  isNullableString(value["macAddress"]) &&
  isNullableString(value["type"]) &&
  isNullableString(value["operationalStatus"]);

/** `vmMetadata`: null, or its object. */
const isVmMetadata = (value: unknown): boolean =>
  value === null ||
  (isPlainObject(value) &&
    isNullableString(value["vmId"]) &&
    isNullableString(value["cloudProvider"]) &&
    isNullableString(value["resourceId"]) &&
    isNullableString(value["subscriptionId"]));

/** True only when `MachineCodec.is(value)` is true (see the module comment); false may still decode. */
export const isMachine = (value: unknown): value is Machine => {
  if (!isPlainObject(value)) return false;
  const m = value;
  const rbacGroupId = m["rbacGroupId"];
  return (
    isString(m["id"]) &&
    isNullableString(m["mergedIntoMachineId"]) &&
    isNullableBoolean(m["isPotentialDuplication"]) &&
    isNullableBoolean(m["isExcluded"]) &&
    isNullableString(m["exclusionReason"]) &&
    isNullableString(m["computerDnsName"]) &&
    isNullableString(m["firstSeen"]) &&
    isNullableString(m["lastSeen"]) &&
    isNullableString(m["osPlatform"]) &&
    isNullableString(m["osVersion"]) &&
    isNullableString(m["osProcessor"]) &&
    isNullableString(m["version"]) &&
    isNullableString(m["lastIpAddress"]) &&
    isNullableString(m["lastExternalIpAddress"]) &&
    isNullableString(m["agentVersion"]) &&
    isNullableNumber(m["osBuild"]) &&
    isString(m["healthStatus"]) &&
    isNullableString(m["deviceValue"]) &&
    (rbacGroupId === null || typeof rbacGroupId === "number" || typeof rbacGroupId === "string") &&
    isNullableString(m["rbacGroupName"]) &&
    isNullableString(m["riskScore"]) &&
    isNullableString(m["exposureLevel"]) &&
    isNullableBoolean(m["isAadJoined"]) &&
    isNullableString(m["aadDeviceId"]) &&
    isNullOrArrayOf(m["machineTags"], isString) &&
    isNullableString(m["defenderAvStatus"]) &&
    isString(m["onboardingStatus"]) &&
    isNullableString(m["osArchitecture"]) &&
    isNullableString(m["managedBy"]) &&
    isNullableString(m["managedByStatus"]) &&
    isNullOrArrayOf(m["ipAddresses"], isIpAddressEntry) &&
    isVmMetadata(m["vmMetadata"])
  );
};
