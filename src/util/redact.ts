/** Removes secrets from text that came from outside (error bodies, library messages). */

/** The shortest string treated as a secret worth redacting (shorter ones would mangle ordinary text). */
const MIN_SECRET_LENGTH = 6;

/** Replaces every occurrence of each secret, and anything shaped like a bearer token or JWT, with `<redacted>`. */
export const redact = (text: string, secrets: readonly string[] = []): string => {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join("<redacted>");
  }
  return out
    .replace(/Bearer\s+[A-Za-z0-9\-._~+/]+=*/gi, "Bearer <redacted>")
    .replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "<redacted-jwt>")
    .replace(/(client_secret|client_assertion|access_token)=[^&\s]+/gi, "$1=<redacted>");
};
