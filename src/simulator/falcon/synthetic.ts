/**
 * Hosts of a Falcon customer with no scanned network behind them (the bench): host `i` is a
 * pure function of (seed, count, now, i), so a million hosts are served page by page without
 * being held in memory.
 */
import { hash, rngAt } from "../gen/rng.js";
import { deviceIdAt } from "./ids.js";
import { drawKind, sensorOf } from "./sensor.js";
import type { FalconPlatform, FalconProductType, HostSpec } from "./spec.js";

const SALT_SYNTHETIC = 0xfa1c3;
const DEPARTMENTS = ["fin", "hr", "eng", "ops", "sales", "it", "dev", "mkt"] as const;

/** A LAN address for host `i` in 10.64.0.0/10, one per index below about 4 million. */
const addressOf = (i: number): string => {
  const subnet = Math.floor(i / 254);
  return `10.${64 + (Math.floor(subnet / 256) % 64)}.${subnet % 256}.${(i % 254) + 1}`;
};

/** The decided host `i` of a synthetic customer. */
export const syntheticSpec = (seed: number, count: number, nowMs: number, i: number): HostSpec => {
  const key = hash(seed, i, SALT_SYNTHETIC);
  const rng = rngAt(seed, i, SALT_SYNTHETIC);
  const platform = rng.weighted<FalconPlatform>([
    ["Windows", 62],
    ["Linux", 25],
    ["Mac", 13],
  ]);
  const productType: FalconProductType =
    platform === "Mac"
      ? "Workstation"
      : platform === "Linux"
        ? "Server"
        : rng.weighted<FalconProductType>([
            ["Workstation", 80],
            ["Server", 18],
            ["Domain Controller", 2],
          ]);
  const n = String(i).padStart(6, "0");
  const hostname =
    platform === "Windows"
      ? productType === "Workstation"
        ? `${rng.pick(DEPARTMENTS).toUpperCase()}-${rng.chance(0.6) ? "LT" : "WS"}-${n}`
        : `SRV-${n}`
      : platform === "Mac"
        ? `${rng.pick(DEPARTMENTS)}-mbp-${n}`
        : `lnx-${rng.pick(["db", "web", "k8s", "ci"])}-${n}`;
  const sensor = sensorOf(rng, drawKind(rng), nowMs);
  return {
    id: deviceIdAt(seed, count, i),
    key,
    platform,
    productType,
    hostname,
    domain: platform === "Windows" ? "corp.example.com" : rng.chance(0.3) ? "corp.example.com" : null,
    localIp: addressOf(i),
    mac: `${rng.pick(["3C22FB", "D481D7", "005056", "B4969E"])}${rng.hex(6)}`,
    serial: rng.chance(0.9) ? rng.hex(7) : null,
    ...sensor,
  };
};
