/**
 * Identifiers of the simulated Falcon cloud: device ids (32 lowercase hex, increasing with
 * the host index so "sort by device_id" is index order), CIDs, API client ids and secrets,
 * trace ids.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { rngAt } from "../gen/rng.js";
import type { Rng } from "../gen/rng.js";

const ID_SPACE = 2 ** 40;
const SALT_DEVICE_ID = 0xfa1c0;

/** The `device_id` of host `i` of `count`: strictly increasing in `i` for `i < count`. */
export const deviceIdAt = (seed: number, count: number, i: number): string => {
  const rng = rngAt(seed, i, SALT_DEVICE_ID);
  const step = Math.floor(ID_SPACE / Math.max(count, 1));
  const prefix = i * step + Math.floor(rng.next() * step);
  return prefix.toString(16).padStart(10, "0") + rng.hex(22).toLowerCase();
};

/** A device id strictly between `low` and `high` (either null for no bound), for a host added while listing. */
export const deviceIdBetween = (low: string | null, high: string | null): string => {
  const lo = low === null ? 0n : BigInt(`0x${low}`);
  const hi = high === null ? 16n ** 32n : BigInt(`0x${high}`);
  return (lo + (hi - lo) / 2n).toString(16).padStart(32, "0");
};

/** 32 lowercase hex from `rng` (a CID, a group id, a policy id). */
export const hex32 = (rng: Rng): string => rng.hex(32).toLowerCase();

/** A random API client id (32 lowercase hex, as the console shows it). */
export const newClientId = (): string => randomBytes(16).toString("hex");

/** A random API client secret: 40 word characters (PSFalcon checks `^\w{40}$`). */
export const newClientSecret = (): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(40)].map((b) => alphabet[b % alphabet.length]).join("");
};

/** A trace id (`X-Cs-Traceid` = `meta.trace_id`): a UUID. */
export const newTraceId = (): string => randomUUID();
