/**
 * The simulated STS: mints v1.0-format access tokens (reference §1.4) signed RS256 by a key
 * made at start, and checks tokens presented to the API (signature, issuer, expiry,
 * revocation). Revocation invalidates every token issued so far.
 */
import { createHash, randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { base64url, decodeJwt, signRs256, verifySignature } from "./jwt.js";
import type { SimulatedClient } from "./options.js";

/** Claims of an issued access token, in Entra's order. */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  aio: string;
  app_displayname: string;
  appid: string;
  appidacr: "1" | "2";
  idp: string;
  oid: string;
  rh: string;
  roles?: string[];
  sub: string;
  tenant_region_scope: string;
  tid: string;
  uti: string;
  ver: "1.0";
}

/** Why a presented token was refused. */
export type TokenRejection = "malformed" | "signature" | "issuer" | "expired" | "not-yet-valid" | "revoked";

/** Result of checking a presented token. */
export type TokenCheck = { readonly ok: true; readonly claims: AccessTokenClaims } | { readonly ok: false; readonly reason: TokenRejection };

/** A deterministic GUID derived from text (service principal object ids). */
export const guidFrom = (text: string): string => {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const opaque = (): string => base64url(Buffer.from(randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, ""), "hex"));

/** Issues and checks the tenant's access tokens. */
export class TokenIssuer {
  private readonly kid: string;
  private readonly issuer: string;
  /** `uti` → issue sequence number. */
  private readonly issued = new Map<string, number>();
  private sequence = 0;
  private revokedThrough = 0;

  /** `tenantId` sets `iss`/`tid`; the key pair signs and verifies. */
  constructor(
    private readonly tenantId: string,
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {
    this.kid = base64url(
      createHash("sha1")
        .update(publicKey.export({ type: "spki", format: "der" }))
        .digest(),
    );
    this.issuer = `https://sts.windows.net/${tenantId}/`;
  }

  /** Mints a token for `client` with audience `resource`; `validitySeconds` = exp − iat. */
  issue(client: SimulatedClient, resource: string, acr: "1" | "2", validitySeconds: number, nowMs = Date.now()): { token: string; claims: AccessTokenClaims } {
    const now = Math.floor(nowMs / 1000);
    const oid = guidFrom(`${this.tenantId}/${client.clientId}/sp`);
    const uti = opaque().slice(0, 22);
    const claims: AccessTokenClaims = {
      aud: resource,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + validitySeconds,
      aio: opaque(),
      app_displayname: client.displayName ?? "Asset Inventory Sync",
      appid: client.clientId,
      appidacr: acr,
      idp: this.issuer,
      oid,
      rh: `0.${opaque()}.`,
      ...(client.roles.length > 0 ? { roles: [...client.roles] } : {}),
      sub: oid,
      tenant_region_scope: "NA",
      tid: this.tenantId,
      uti,
      ver: "1.0",
    };
    this.issued.set(uti, ++this.sequence);
    return { token: signRs256({ x5t: this.kid, kid: this.kid }, { ...claims }, this.privateKey), claims };
  }

  /** Checks a bearer token presented to the API. */
  check(token: string, nowMs = Date.now()): TokenCheck {
    const jwt = decodeJwt(token);
    if (jwt === null || jwt.header["alg"] !== "RS256") return { ok: false, reason: "malformed" };
    if (!verifySignature(jwt, this.publicKey)) return { ok: false, reason: "signature" };
    const claims = jwt.payload as unknown as AccessTokenClaims;
    if (claims.iss !== this.issuer || claims.tid !== this.tenantId) return { ok: false, reason: "issuer" };
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== "number" || now >= claims.exp) return { ok: false, reason: "expired" };
    if (typeof claims.nbf === "number" && now < claims.nbf - 300) return { ok: false, reason: "not-yet-valid" };
    const seq = this.issued.get(claims.uti);
    if (seq === undefined || seq <= this.revokedThrough) return { ok: false, reason: "revoked" };
    return { ok: true, claims };
  }

  /** Every token issued so far becomes invalid. */
  revokeAll(): void {
    this.revokedThrough = this.sequence;
    this.issued.clear();
  }

  /** Number of tokens issued. */
  get count(): number {
    return this.sequence;
  }

  /** The JSON Web Key Set (`/discovery/v2.0/keys`). */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: "jwk" });
    return { keys: [{ kty: "RSA", use: "sig", kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e, issuer: this.issuer }] };
  }
}
