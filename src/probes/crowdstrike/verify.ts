/**
 * The CrowdStrike probe's `verify`: says where the secret and the token go, signs in (naming
 * the cloud reached, and the redirect when one was followed), and reads one host (the combined
 * endpoint, or the scroll on GovCloud), which shows whether the API client has the
 * `Hosts: Read` scope. Never prints the secret or the token.
 *
 * Vendor doc: the swagger's `CombinedDevicesByFilter` / `QueryDevicesByFilterScroll`.
 */
import { left, right } from "fp-ts/lib/Either.js";
import type { PlainResponse } from "got";
import type { TaskEither } from "fp-ts/lib/TaskEither.js";
import type { ProbeEnv, VerifyInput, VerifyReport, VerifyStep } from "../../contract.js";
import { inputError, ProbeRunError, type ProbeError } from "../../engine/errors.js";
import { BodyBuffer, streamBody } from "../../runtime/http/stream-body.js";
import { answerFailure, classifyFalconError, errorsOf, FalconAnswerError, traceIdOf } from "./api-errors.js";
import type { FalconApiClient } from "./credential.js";
import { resolveEndpoints } from "./endpoints.js";
import { HOSTS_PATHS } from "./listing.js";
import type { CrowdStrikeOptions } from "./options.js";
import { failureOf, recovery } from "./paging.js";
import { FALCON_LIMITS } from "./rate-limits.js";
import { budgetAccount } from "./session.js";
import { signIn } from "./sign-in.js";

const info = (text: string): VerifyStep => ({ outcome: "info", text });
const check = (passed: boolean, text: string, fix?: string): VerifyStep => ({ outcome: passed ? "passed" : "failed", text, fix });

/** Where one read stops: the run's size cap and deadline of an answer (a server that drips must not hold `verify`). */
interface ReadLimits {
  readonly maxBytes: number;
  readonly deadlineMs: number;
}

/** Reads one host at `path` with `token`: the hosts read, or throws (a got error, a `FalconAnswerError`, a `ProbeRunError`). */
const readOne = async (
  env: ProbeEnv,
  apiBaseUrl: string,
  path: string,
  token: string,
  signal: AbortSignal | undefined,
  limits: ReadLimits,
): Promise<number> => {
  const bytes = new BodyBuffer(64 * 1024);
  let response: PlainResponse;
  try {
    response = await streamBody(env.http, `${apiBaseUrl}${path}`, { signal, ...limits }, bytes, undefined, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      searchParams: { limit: 1 },
      retry: { limit: 1 },
    });
  } catch (error) {
    const failure = answerFailure(error, apiBaseUrl);
    if (failure !== undefined) throw new ProbeRunError(failure);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(bytes.text());
  } catch {
    body = undefined;
  }
  const errors = errorsOf(body);
  if (errors.length > 0) throw new FalconAnswerError(response.statusCode, { errors, traceId: traceIdOf(response.headers, body) });
  const resources = typeof body === "object" && body !== null ? (body as { resources?: unknown }).resources : undefined;
  return Array.isArray(resources) ? resources.length : 0;
};

/**
 * Checks a credential against Falcon. Left `ERR_INPUT` (nothing sent) when the options name a
 * host the credential does not allow; otherwise Right with the steps, `ok` only when sign-in
 * works and one host read is allowed.
 */
export const verifyCrowdStrike =
  (input: VerifyInput<CrowdStrikeOptions, FalconApiClient>, env: ProbeEnv): TaskEither<ProbeError, VerifyReport> =>
  async () => {
    const { credential, options, signal } = input;
    const endpoints = resolveEndpoints(credential, options);
    if (endpoints._tag === "Left") return left(inputError(endpoints.left, "options"));
    const start = endpoints.right;
    const subject = `API client ${credential.clientId}${credential.memberCid === undefined ? "" : `, child CID ${credential.memberCid}`} (${credential.kind})`;
    const steps: VerifyStep[] = [
      info(
        `the client secret goes to ${new URL(start.apiBaseUrl).origin} (${start.source === "cloud" ? `the ${start.cloud === "auto" ? "us-1" : start.cloud} cloud's host` : `named by the ${start.source}`}; cloud ${start.cloud}${start.cloud === "auto" ? ", following the token endpoint's redirect to a Falcon host" : ""})`,
      ),
    ];
    const secrets = [credential.clientSecret];
    let signed;
    try {
      signed = await signIn(credential, {
        http: env.http,
        clock: env.clock,
        signal,
        cloud: start.cloud,
        apiBaseUrl: start.apiBaseUrl,
        onSecret: (s) => void secrets.push(s),
        deadlineMs: options.pageDeadlineMs,
        debug: env.log("scan-probes:crowdstrike:auth"),
      });
    } catch (error) {
      if (!(error instanceof ProbeRunError)) throw error;
      return right({ subject, steps: [...steps, check(false, `sign-in: ${error.detail.message}`, error.detail.hint)], ok: false });
    }
    const origin = new URL(signed.apiBaseUrl).origin;
    steps.push(
      check(
        true,
        `signed in at ${origin}${signed.region ? `, cloud ${signed.region}` : ""}${signed.redirectedFrom ? ` (redirected from ${signed.redirectedFrom})` : ""}; the token goes to ${origin} only`,
      ),
    );
    const read = async (path: string) => {
      await env.budgets.for("crowdstrike", budgetAccount(credential), FALCON_LIMITS).take(signal);
      return readOne(env, signed.apiBaseUrl, path, signed.token.token, signal, { maxBytes: options.maxPageBytes, deadlineMs: options.pageDeadlineMs });
    };
    let count: number;
    let path: string = start.scrollOnly ? HOSTS_PATHS.scroll : HOSTS_PATHS.combined;
    try {
      try {
        count = await read(path);
      } catch (error) {
        if (path !== HOSTS_PATHS.combined || recovery(failureOf(error), "combined", undefined, false, 0) !== "scroll") throw error;
        path = HOSTS_PATHS.scroll;
        count = await read(path);
      }
    } catch (error) {
      const e = classifyFalconError(error, { signal, origin, region: signed.region, secrets });
      const scope = e.code === "ERR_FALCON_SCOPE_MISSING" ? "the API client lacks the Hosts: Read scope" : `reading one host failed: ${e.message}`;
      return right({ subject, steps: [...steps, check(false, scope, e.hint)], ok: false });
    }
    steps.push(check(true, `the API client has the Hosts: Read scope: GET ${path}?limit=1 answered with ${count} host(s)`));
    return right({ subject, steps, ok: true, conclusion: "All checks passed: the probe can read this CID's hosts." });
  };
