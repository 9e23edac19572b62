/**
 * Compact JWS (JWT) helpers on node:crypto: sign RS256 access tokens, verify RS256/PS256
 * client assertions, decode without verifying. No dependency on a JWT library, so the
 * simulator checks exactly what Entra ID checks.
 */
import { createHash, sign, verify, constants } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** base64url without padding. */
export const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/** The parts of a compact JWT, decoded but not verified. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** `header.payload`, the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

const parseJson = (part: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** Splits and decodes a compact JWT; null when it is not three base64url JSON parts. */
export const decodeJwt = (token: string): DecodedJwt | null => {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  const payload = parseJson(p);
  if (header === null || payload === null || !/^[A-Za-z0-9_-]*$/.test(s)) return null;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
};

/** Signs `payload` with RS256 under `header` (alg and typ are set here). */
export const signRs256 = (header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string => {
  const input = `${base64url(JSON.stringify({ typ: "JWT", alg: "RS256", ...header }))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(sign("sha256", Buffer.from(input), key))}`;
};

/** Checks the signature of a decoded JWT with RS256 or PS256 (other algorithms fail). */
export const verifySignature = (jwt: DecodedJwt, key: KeyObject): boolean => {
  const alg = jwt.header["alg"];
  const data = Buffer.from(jwt.signingInput);
  try {
    if (alg === "RS256") return verify("sha256", data, key, jwt.signature);
    if (alg === "PS256") {
      return verify("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, jwt.signature);
    }
  } catch {
    return false;
  }
  return false;
};

/** base64url SHA-1 and SHA-256 thumbprints of a DER certificate (`x5t`, `x5t#S256`). */
export const thumbprints = (der: Buffer): { x5t: string; x5tS256: string } => ({
  x5t: base64url(createHash("sha1").update(der).digest()),
  x5tS256: base64url(createHash("sha256").update(der).digest()),
});
