/**
 * Reads the claims of an access token for reporting (roles, audience). The token is not
 * verified here; the API does that. Never logs or returns the token itself.
 */

/** Claims the probe reports: what the token grants and for whom it was issued. */
export interface TokenClaims {
  /** Application permissions granted with admin consent (`roles`); empty when none. */
  readonly roles: readonly string[];
  /** The resource the token was issued for. */
  readonly audience: string | null;
  /** The tenant that issued it. */
  readonly tenantId: string | null;
  /** The app it was issued to. */
  readonly appId: string | null;
}

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
