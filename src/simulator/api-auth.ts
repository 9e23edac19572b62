/**
 * Who may call the machines API (reference §5.3, §7.1–7.2): a valid, unexpired, unrevoked
 * token from this tenant's STS, for a Defender for Endpoint audience, with a `roles` claim
 * holding `Machine.Read.All` or `Machine.ReadWrite.All`.
 */
import { missingRoles, unauthorized, wrongAudience } from "./api-errors.js";
import { MDE_RESOURCES, XDR_RESOURCE } from "./entra.js";
import type { Reply } from "./http.js";
import type { AccessTokenClaims, TokenIssuer } from "./tokens.js";

/** Roles that grant machine reads. */
export const MACHINE_READ_ROLES: readonly string[] = ["Machine.Read.All", "Machine.ReadWrite.All"];

/** The caller, or the reply refusing it. */
export type AuthOutcome = { readonly ok: true; readonly claims: AccessTokenClaims } | { readonly ok: false; readonly reply: Reply };

/**
 * Checks the `Authorization` header: 401 when it is missing, not Bearer, invalid, expired,
 * revoked, for a non-Defender audience or without a `roles` claim; 403 for the Defender XDR
 * audience or roles without a machine read role.
 */
export const authorize = (issuer: TokenIssuer, authorization: string | undefined): AuthOutcome => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (m?.[1] === undefined) return { ok: false, reply: unauthorized() };
  const check = issuer.check(m[1]);
  if (!check.ok) return { ok: false, reply: unauthorized() };
  const { claims } = check;
  if (claims.aud === XDR_RESOURCE) return { ok: false, reply: wrongAudience(claims.aud) };
  if (!MDE_RESOURCES.includes(claims.aud)) return { ok: false, reply: unauthorized() };
  if (!Array.isArray(claims.roles) || claims.roles.length === 0) return { ok: false, reply: unauthorized() };
  if (!claims.roles.some((r) => MACHINE_READ_ROLES.includes(r))) return { ok: false, reply: missingRoles(claims.roles) };
  return { ok: true, claims };
};
