/**
 * Signing in to Falcon: OAuth2 client credentials (`POST /oauth2/token`, a form with
 * `client_id`, `client_secret` and optional `member_cid`), through the run's HTTP stack. For
 * `cloud: auto` a redirect to the client's cloud (308 with `Location` and `X-Cs-Region`) is
 * followed by hand, only where `clouds.ts` allows (the secret goes with it); the API origin then
 * becomes that cloud's. A token lives about 30 minutes (`expires_in`).
 *
 * Vendor docs: the swagger's `oauth2AccessToken` (gofalcon `falcon/client/oauth2`);
 * ansible_collection_falcon #217 (the 308 on the wrong cloud).
 */
import { HTTPError, RequestError, TimeoutError, type Got, type PlainResponse } from "got";
import type { AuthError, Clock } from "../../contract.js";
import { ProbeRunError } from "../../engine/errors.js";
import { BodyBuffer, BodyDeadlineError, BodyTooLargeError, streamBody } from "../../runtime/http/stream-body.js";
import type { BearerToken } from "../../sync/bearer-client.js";
import { headerOf, readAnswer, signInError } from "./api-errors.js";
import { cloudBaseUrl, cloudOfHost, cloudOfRegion, isGovCloud, redirectDecision, TOKEN_PATH, type FalconCloud } from "./clouds.js";
import type { FalconApiClient } from "./credential.js";
import { falconCalculateDelay } from "./retry.js";

/** A Falcon access token. `token` must never be logged or shown. */
export interface FalconToken extends BearerToken {
  /** Epoch ms (the run's clock) when it ends. */
  readonly expiresAt: number;
  /** Its lifetime, in ms, as issued. */
  readonly lifetimeMs: number;
}

/** A sign-in that worked: the token, and where the API is. */
export interface SignedIn {
  readonly token: FalconToken;
  /** The API base URL the token is for (the cloud reached). */
  readonly apiBaseUrl: string;
  /** The cloud the token endpoint named (`X-Cs-Region`), when it named one. */
  readonly region: string | null;
  /** The origin first asked, when a redirect was followed from it. */
  readonly redirectedFrom: string | null;
}

/** What a sign-in needs. */
export interface SignInSettings {
  readonly http: Got;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
  /** The cloud the options name, or auto. */
  readonly cloud: FalconCloud | "auto";
  /** Where the token is asked for first (the run's configured base URL). */
  readonly apiBaseUrl: string;
  /** Receives every token issued, so that it is scrubbed from any message. */
  readonly onSecret?: ((secret: string) => void) | undefined;
  /** Most ms from the token answer's headers to its last byte (a server that drips must not hold the run); default 10 minutes. */
  readonly deadlineMs?: number | undefined;
  /** The debug log of the sign-in (`scan-probes:crowdstrike:auth`): each request's URL and status, never the form or the answer. */
  readonly debug?: ((formatter: string, ...args: unknown[]) => void) | undefined;
}

/** Most bytes of a token answer (about 1.2 KB in practice); a larger one is not a token. */
const TOKEN_MAX_BYTES = 1024 * 1024;

/** Default of {@link SignInSettings.deadlineMs}. */
const TOKEN_DEADLINE_MS = 10 * 60 * 1000;

/** Longest chain of token redirects followed. */
const MAX_HOPS = 2;

/** The renewal margin: a token is renewed when fewer than this many ms remain (3 minutes, or a quarter of a short lifetime). */
export const renewMarginMs = (lifetimeMs: number): number => Math.min(180_000, Math.floor(lifetimeMs / 4));

/** True when `token` ends within its renewal margin by `clock`. */
export const isEnding = (token: FalconToken, clock: Clock): boolean => clock.now() >= token.expiresAt - renewMarginMs(token.lifetimeMs);

const authError = (code: string, message: string, hint: string): AuthError => ({ _tag: "AuthError", code, message, hint });

/** The token of a 2xx body, or null when the body is not one. */
const tokenOf = (text: string, clock: Clock): FalconToken | null => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const fields = typeof body === "object" && body !== null ? (body as { access_token?: unknown; expires_in?: unknown }) : {};
  if (typeof fields.access_token !== "string" || fields.access_token === "") return null;
  const seconds = typeof fields.expires_in === "number" && Number.isFinite(fields.expires_in) && fields.expires_in > 0 ? fields.expires_in : 1799;
  const lifetimeMs = seconds * 1000;
  return { token: fields.access_token, expiresAt: clock.now() + lifetimeMs, lifetimeMs };
};

/**
 * Signs in with `credential`. Resolves with the token and the API's base URL, or rejects with
 * a `ProbeRunError` carrying the sign-in's error (codes in `error-codes.ts`).
 */
export const signIn = async (credential: FalconApiClient, settings: SignInSettings): Promise<SignedIn> => {
  const { http, clock, signal, cloud } = settings;
  const debug = settings.debug ?? (() => undefined);
  const form: Record<string, string> = { client_id: credential.clientId, client_secret: credential.clientSecret };
  if (credential.memberCid !== undefined) form["member_cid"] = credential.memberCid;
  const maxRetryAfter = http.defaults.options.retry.maxRetryAfter ?? 60_000;
  let base = settings.apiBaseUrl;
  let redirectedFrom: string | null = null;
  const context = { secrets: [credential.clientSecret] };
  for (let hop = 0; ; hop++) {
    const url = `${base}${TOKEN_PATH}`;
    const origin = new URL(url).origin;
    let response: PlainResponse;
    let text = "";
    const body = new BodyBuffer(4096);
    try {
      // Read within a size cap and a deadline: got's own timeouts restart with every byte.
      response = await streamBody(http, url, { signal, maxBytes: TOKEN_MAX_BYTES, deadlineMs: settings.deadlineMs ?? TOKEN_DEADLINE_MS }, body, undefined, {
        method: "POST",
        form,
        headers: { accept: "application/json" },
        retry: { methods: ["POST"], calculateDelay: falconCalculateDelay(clock, maxRetryAfter) },
      });
      text = body.text();
    } catch (error) {
      const redirect = error instanceof HTTPError && error.response.statusCode >= 300 && error.response.statusCode < 400;
      if (redirect)
        response = error.response; // judged below, as a redirect
      else {
        debug("POST %s → %s", url, error instanceof HTTPError ? error.response.statusCode : error instanceof RequestError ? error.code : "failed");
        if (error instanceof HTTPError)
          throw new ProbeRunError(signInError(error.response.statusCode, readAnswer(error.response.headers, error.response.body), { origin, ...context }));
        if (error instanceof BodyTooLargeError || error instanceof BodyDeadlineError)
          throw new ProbeRunError(
            authError(
              "ERR_AUTH_UNAVAILABLE",
              `The Falcon token endpoint at ${origin} ${error instanceof BodyTooLargeError ? `answered more than ${TOKEN_MAX_BYTES} bytes` : `had not finished its answer ${error.deadlineMs} ms after it began`}: that is not a token.`,
              "Try again later; check any proxy in the way.",
            ),
          );
        const what =
          error instanceof TimeoutError
            ? `${error.event} timeout`
            : error instanceof RequestError
              ? error.code
              : error instanceof Error
                ? error.name
                : "unknown";
        throw new ProbeRunError(
          authError(
            "ERR_AUTH_UNAVAILABLE",
            `Could not reach the Falcon token endpoint at ${origin} (${what}).`,
            "Check DNS, firewall and proxy settings for this host, and the cloud option.",
          ),
        );
      }
    }
    const region = headerOf(response.headers, "x-cs-region") ?? null;
    const status = response.statusCode;
    debug("POST %s → %d (region %s)", url, status, region ?? "not named");
    if (status >= 300 && status < 400) {
      const regionCloud = cloudOfRegion(region ?? undefined);
      const location = headerOf(response.headers, "location") ?? (regionCloud === undefined ? undefined : `${cloudBaseUrl(regionCloud)}${TOKEN_PATH}`);
      const decision =
        hop >= MAX_HOPS ? ({ follow: false, why: "it is one redirect too many" } as const) : redirectDecision(location, url, settings.apiBaseUrl, cloud);
      if (!decision.follow) {
        if (cloud !== "auto")
          throw new ProbeRunError(
            authError(
              "ERR_FALCON_WRONG_CLOUD",
              `The API client is not in the ${cloud} cloud: the token endpoint at ${origin} redirected (HTTP ${status})${region ? ` to the ${region} cloud` : ""}.`,
              `Set the cloud option to ${regionCloud ?? "the client's cloud"}, or to auto.`,
            ),
          );
        throw new ProbeRunError(
          authError(
            "ERR_FALCON_REDIRECT",
            `The Falcon token endpoint at ${origin} answered a redirect (HTTP ${status}) that was not followed: ${decision.why}. The secret was not sent there.`,
            regionCloud !== undefined && isGovCloud(regionCloud)
              ? `Set the cloud option to ${regionCloud}.`
              : "Check the cloud and apiBaseUrl options, and any proxy in the way.",
          ),
        );
      }
      redirectedFrom ??= origin;
      base = decision.apiBaseUrl;
      continue;
    }
    const token = status >= 200 && status < 300 ? tokenOf(text, clock) : null;
    if (token === null)
      throw new ProbeRunError(
        authError(
          "ERR_AUTH_UNAVAILABLE",
          `The Falcon token endpoint at ${origin} answered HTTP ${status} without a token.`,
          "Try again later; check any proxy in the way.",
        ),
      );
    settings.onSecret?.(token.token);
    // A token issued by a known cloud that names another (falconpy's and gofalcon's discovery): ask that cloud instead.
    const issuer = cloudOfHost(new URL(base).hostname);
    const named = cloudOfRegion(region ?? undefined);
    if (cloud === "auto" && hop < MAX_HOPS && issuer !== undefined && named !== undefined && named !== issuer && !isGovCloud(named)) {
      redirectedFrom ??= origin;
      base = cloudBaseUrl(named);
      continue;
    }
    return { token, apiBaseUrl: base, region, redirectedFrom };
  }
};
