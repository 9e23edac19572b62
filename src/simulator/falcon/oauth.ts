/**
 * `POST /oauth2/token` and `POST /oauth2/revoke` (reference §1, §2): client credentials in
 * the form or HTTP Basic, optional `member_cid`; 201 with a token on the customer's home
 * cloud, 308 to it from any other cloud, and the recorded error answers.
 */
import type { FalconApiClient } from "./auth.js";
import type { Answer } from "./envelope.js";
import { errorAnswer } from "./envelope.js";
import type { FalconState } from "./state.js";

/** A token-endpoint request, parsed by the server. */
export interface OauthRequest {
  readonly region: string;
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
  readonly remoteIp: string;
}

/** Credentials from HTTP Basic, if the header carries them. */
const basicCredentials = (authorization: string | undefined): { id: string; secret: string } | null => {
  const m = /^basic\s+(\S+)$/i.exec(authorization ?? "");
  if (m === null) return null;
  const text = Buffer.from(m[1] ?? "", "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
};

const sameCid = (a: string, b: string): boolean => a.toLowerCase().replace(/-\w{2}$/, "") === b.toLowerCase().replace(/-\w{2}$/, "");

const csam = (region: string, answer: Answer): Answer => ({ ...answer, headers: { ...answer.headers, "X-Cs-Region": region } });

/** The answer to a token request at `request.region`. */
export const tokenAnswer = (state: FalconState, request: OauthRequest): Answer => {
  const { form, region } = request;
  const basic = basicCredentials(request.authorization);
  const id = form.get("client_id") ?? basic?.id ?? "";
  const secret = form.get("client_secret") ?? basic?.secret ?? "";
  const client: FalconApiClient | undefined = state.clients.find((c) => c.clientId === id.toLowerCase());
  if (client === undefined) return csam(region, errorAnswer(400, `Failed to generate access token for clientID=${id.slice(0, 64)}.`, "csam"));
  if (region !== state.homeRegion) {
    const home = state.clouds[state.homeRegion] ?? "";
    return { status: 308, poweredBy: "csam", errors: [], empty: true, headers: { Location: `${home}/oauth2/token`, "X-Cs-Region": state.homeRegion } };
  }
  if (secret !== client.clientSecret) return csam(region, errorAnswer(403, "Failed to issue access token - Not Authorized", "csam"));
  if (client.allowedIps !== undefined && !client.allowedIps.includes(request.remoteIp.replace(/^::ffff:/, "")))
    return csam(region, errorAnswer(403, "access denied, authorization failed", "csam"));
  const member = form.get("member_cid");
  if (member !== null && member !== "" && !sameCid(member, state.store.ids.cid) && (client.memberCid === undefined || !sameCid(member, client.memberCid)))
    return csam(region, errorAnswer(403, "access denied, authorization failed", "csam"));
  const lifetime = state.knobs.tokenLifetimeSeconds;
  const token = state.tokens.issue(client, region, state.store.ids.cid, state.clock.now(), lifetime);
  state.stats.tokensIssued += 1;
  return {
    status: 201,
    poweredBy: "csam",
    errors: [],
    plain: { access_token: token, token_type: "bearer", expires_in: lifetime },
    headers: { "X-Cs-Region": region },
  };
};

/** The answer to a revoke request: 200 and the token forgotten when the Basic credentials are the client's. */
export const revokeAnswer = (state: FalconState, request: OauthRequest): Answer => {
  const basic = basicCredentials(request.authorization);
  const client = basic === null ? undefined : state.clients.find((c) => c.clientId === basic.id.toLowerCase() && c.clientSecret === basic.secret);
  if (client === undefined) return csam(request.region, errorAnswer(403, "access denied, authorization failed", "csam"));
  const token = request.form.get("token") ?? "";
  if (token === "") return csam(request.region, errorAnswer(400, "token is required", "csam"));
  if (state.tokens.revoke(token)) state.stats.tokensRevoked += 1;
  return csam(request.region, { status: 200, poweredBy: "csam", errors: [] });
};
