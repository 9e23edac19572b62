/**
 * Reads the claims of an access token for reporting (roles, audience). The token is not
 * verified here; the API does that. Never logs or returns the token itself.
 */

import type { TokenClaims } from "../../contract.js";

export type { TokenClaims } from "../../contract.js";

/** Claims of a JWT access token, or empty claims when it is not a readable JWT. */
export const readTokenClaims = (token: string): TokenClaims => {
  const empty: TokenClaims = { roles: [], audience: null, tenantId: null, appId: null };
  const payload = token.split(".")[1];
  if (payload === undefined) return empty;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const roles = Array.isArray(claims["roles"]) ? claims["roles"].filter((r): r is string => typeof r === "string") : [];
    const str = (k: string): string | null => {
      const value = claims[k];
      return typeof value === "string" ? value : null;
    };
    return { roles, audience: str("aud"), tenantId: str("tid"), appId: str("appid") ?? str("azp") };
  } catch {
    return empty;
  }
};
