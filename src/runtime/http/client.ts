/**
 * The one HTTP stack: got with TLS trust, timeouts and the retry policy declared once.
 * Sign-in (through the MSAL network module) and the Defender API both use it, so a CA,
 * a timeout or a retry rule is configured in exactly one place.
 */
import { rootCertificates } from "node:tls";
import got, { type Got, type RetryOptions } from "got";
import { agentHook, sharedTrust } from "./agents.js";
import type { ProxyResolver } from "./proxy.js";
import { withoutUndefined } from "../../util/objects.js";

/** Settings of the HTTP stack. Every field has a default. */
export interface HttpSettings {
  /**
   * Extra CA certificates (PEM) to trust besides the system's, e.g. a TLS-inspecting
   * proxy's. `NODE_EXTRA_CA_CERTS` works too when set before the process starts.
   * TLS verification itself cannot be switched off.
   */
  readonly extraCaPem?: string | readonly string[] | undefined;
  /** Retries after the first attempt, for 429, 5xx and network errors. Default 4. */
  readonly retryLimit?: number | undefined;
  /** Longest Retry-After honoured, in ms; a longer one fails at once with ERR_API_THROTTLED. Default 60,000. */
  readonly maxRetryAfterMs?: number | undefined;
  /** Cap of one exponential back-off step, in ms. Default 30,000. */
  readonly backoffLimitMs?: number | undefined;
  /** Connect + TLS handshake timeout, in ms. Default 15,000. */
  readonly connectTimeoutMs?: number | undefined;
  /** Time to the first response byte, and the longest silence while reading, in ms. Default 120,000 (a 10,000-device page is ~13 MB). */
  readonly responseTimeoutMs?: number | undefined;
  /** Which proxy each request goes through. Default (in `createEnvironment`): `HTTPS_PROXY` / `NO_PROXY`. Undefined: direct. */
  readonly proxy?: ProxyResolver | undefined;
}

/** The defaults of {@link HttpSettings}, in one object. */
export const DEFAULT_HTTP_SETTINGS = {
  retryLimit: 4,
  maxRetryAfterMs: 60_000,
  backoffLimitMs: 30_000,
  connectTimeoutMs: 15_000,
  responseTimeoutMs: 120_000,
} as const;

/** Statuses that are retried: throttling and server errors. */
export const RETRIED_STATUSES = [408, 429, 500, 502, 503, 504] as const;

/**
 * Exponential back-off with jitter (half fixed, half random), bounded by `backoffLimit`;
 * a Retry-After is honoured exactly (never early). Zero means "do not retry".
 */
export const backoffDelay = (computedValue: number, retryAfter: number | undefined, random: () => number = Math.random): number => {
  if (computedValue <= 0) return 0;
  if (retryAfter !== undefined) return computedValue;
  return Math.round(computedValue / 2 + (random() * computedValue) / 2);
};

/** Builds the shared got instance. */
export const createHttpClient = (settings: HttpSettings = {}): Got => {
  const s = { ...DEFAULT_HTTP_SETTINGS, ...withoutUndefined(settings) };
  const extra = settings.extraCaPem === undefined ? [] : typeof settings.extraCaPem === "string" ? [settings.extraCaPem] : [...settings.extraCaPem];
  /** The CAs trusted when extra ones are given (Node's `ca` replaces its own list, so the system's come too). */
  const trusted = extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
  // One TLS context for every connection when extra CAs are trusted (see agents.ts); `certificateAuthority` stays as the same trust for any connection made without it.
  const hook = agentHook(settings.proxy, trusted === undefined ? undefined : sharedTrust(trusted));
  const retry: Partial<RetryOptions> = {
    limit: s.retryLimit,
    methods: ["GET"],
    statusCodes: [...RETRIED_STATUSES],
    maxRetryAfter: s.maxRetryAfterMs,
    backoffLimit: s.backoffLimitMs,
    noise: 0,
    calculateDelay: ({ computedValue, retryAfter }) => backoffDelay(computedValue, retryAfter),
  };
  return got.extend({
    retry,
    timeout: {
      connect: s.connectTimeoutMs,
      secureConnect: s.connectTimeoutMs,
      response: s.responseTimeoutMs,
      socket: s.responseTimeoutMs,
    },
    https: {
      rejectUnauthorized: true,
      ...(trusted === undefined ? {} : { certificateAuthority: trusted }),
    },
    headers: { "user-agent": "scan-probes (+https://www.npmjs.com/package/scan-probes)" },
    followRedirect: false,
    responseType: "text",
    ...(hook === undefined ? {} : { hooks: { beforeRequest: [hook] } }),
  });
};
