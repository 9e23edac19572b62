/**
 * The Defender365 probe's `verify`: says where the secret and the token go, signs
 * in, shows the roles in the token, and lists one machine (`GET /api/machines?$top=1`), so
 * that a person sees which of these fails and how to fix it.
 *
 * Vendor doc: https://learn.microsoft.com/defender-endpoint/api/get-machines
 */
import { left, right } from "fp-ts/lib/Either.js";
import type { TaskEither } from "fp-ts/lib/TaskEither.js";
import { HTTPError } from "got";
import type { ProbeEnv, VerifyInput, VerifyReport, VerifyStep } from "../../contract.js";
import { clientIdOf, describeSource, whatIsSent, type Credential } from "../../azure/credentials.js";
import { inputError, type ProbeError } from "../../engine/errors.js";
import { classifyApiError, MACHINE_READ_ROLES, readErrorBody } from "./api-errors.js";
import { resolveEndpoints, type EndpointSource } from "./endpoints.js";
import type { Defender365Options } from "./options.js";
import { DEFENDER_LIMITS } from "./rate-limits.js";
import { pageUrl } from "./pages.js";

const info = (text: string): VerifyStep => ({ outcome: "info", text });
const check = (passed: boolean, text: string, fix?: string): VerifyStep => ({ outcome: passed ? "passed" : "failed", text, fix });

/** Who named a host, as the line about it says it. */
const namedBy = (source: EndpointSource): string => (source === "cloud preset" ? "the cloud preset's" : `named by the ${source}`);

/**
 * Checks a credential against the Defender API. Left `ERR_INPUT` (nothing sent) when the
 * options name hosts the credential does not allow; otherwise Right with the steps, `ok`
 * only when sign-in and the API call work and the token holds `Machine.Read.All` (or
 * `Machine.ReadWrite.All`).
 */
export const verifyDefender365 =
  (input: VerifyInput<Defender365Options, Credential>, env: ProbeEnv): TaskEither<ProbeError, VerifyReport> =>
  async () => {
    const c = input.credential;
    const report = await verifySteps(input, env)();
    if (report._tag === "Left") return report;
    return right({ subject: `tenant ${c.tenantId}, app ${clientIdOf(c)} (${c.kind})`, credential: describeSource(c), ...report.right });
  };

/** The steps of {@link verifyDefender365}. */
const verifySteps =
  (input: VerifyInput<Defender365Options, Credential>, env: ProbeEnv): TaskEither<ProbeError, VerifyReport> =>
  async () => {
    const c = input.credential;
    const endpoints = resolveEndpoints(c, input.options);
    if (endpoints._tag === "Left") return left(inputError(endpoints.left, "options"));
    const options = endpoints.right;
    const sent = whatIsSent(c);
    const cloud = `cloud ${options.cloud}${options.sources.cloud === "cloud preset" ? ", the default" : `, named by the ${options.sources.cloud}`}`;
    const steps: VerifyStep[] = [
      info(
        sent === null
          ? `no secret is sent: the host's managed identity endpoint signs in (${cloud})`
          : `${sent} goes to ${options.authorityHost} (${namedBy(options.sources.authorityHost)}; ${cloud})`,
      ),
      info(`the token goes to ${options.apiBaseUrl} (${namedBy(options.sources.apiBaseUrl)}); scope ${options.scope}`),
    ];

    const tokens = env.tokens({ credential: c, authorityHost: options.authorityHost, scope: options.scope });
    const token = await tokens.getToken()();
    if (token._tag === "Left") return right({ steps: [...steps, check(false, `sign-in: ${token.left.message}`, token.left.hint)], ok: false });
    const { roles, audience } = token.right.claims;
    steps.push(check(true, `signed in; token issued for ${audience ?? "(unreadable audience)"}`));
    const hasRole = roles.some((r) => (MACHINE_READ_ROLES as readonly string[]).includes(r));
    steps.push(check(hasRole, `roles in the token: ${roles.length > 0 ? roles.join(", ") : "none"}${hasRole ? "" : " — Machine.Read.All is missing"}`));

    try {
      await env.budgets.for(c.tenantId, clientIdOf(c), DEFENDER_LIMITS).take();
      const body = await env.http
        .get(pageUrl({ apiBaseUrl: options.apiBaseUrl, pageSize: 1 }, 0), {
          headers: { authorization: `Bearer ${token.right.token}` },
          retry: { limit: 1 },
          signal: input.signal,
        })
        .json<{ value?: unknown[] }>();
      steps.push(check(true, `API reached: GET /api/machines?$top=1 answered with ${Array.isArray(body.value) ? body.value.length : 0} device(s)`));
    } catch (error) {
      // A 404 with Defender's error body on the list itself: the tenant has no machines yet, and the call worked.
      if (error instanceof HTTPError && error.response.statusCode === 404 && readErrorBody(error.response.body) !== null)
        return right({ steps: [...steps, check(true, "API reached: the tenant has no machines yet (404 on the list)")], ok: hasRole });
      const e = classifyApiError(error, { claims: token.right.claims, apiBaseUrl: options.apiBaseUrl, secrets: tokens.secrets(), retryLimit: 1 });
      return right({ steps: [...steps, check(false, `API call: ${e.message}`, e.hint)], ok: false });
    }
    return right({
      steps,
      ok: hasRole,
      conclusion: hasRole
        ? "All checks passed: the probe can read this tenant's devices."
        : "The API answered, but grant Machine.Read.All before relying on it.",
    });
  };
