/**
 * Shared helpers of the simulated Falcon tests: a got client trusting the simulator's CA
 * (no retries, no throwing, no redirects followed), token requests, and reading a JSON
 * envelope.
 */
import got from "got";
import type { Got, Response } from "got";
import type { SimulatedFalcon } from "../../../src/simulator/index.js";

/** A got instance trusting `falcon`'s CA; never retries, never throws on HTTP errors, never follows redirects. */
export const httpFor = (falcon: SimulatedFalcon): Got =>
  got.extend({
    https: { certificateAuthority: falcon.caPem },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    timeout: { request: 20_000 },
  });

/** POSTs `/oauth2/token` with `form` at `origin` (default the home cloud). */
export const postToken = (falcon: SimulatedFalcon, form: Record<string, string>, origin = falcon.apiBaseUrl): Promise<Response<string>> =>
  httpFor(falcon).post(`${origin}/oauth2/token`, { form });

/** The form of the default client (or the one named). */
export const tokenForm = (falcon: SimulatedFalcon, client?: string): Record<string, string> => {
  const c = falcon.credential(client === undefined ? {} : { client });
  return { client_id: c["clientId"] ?? "", client_secret: c["clientSecret"] ?? "" };
};

/** A token of the default client (or the one named) from the home cloud; throws when refused. */
export const tokenFor = async (falcon: SimulatedFalcon, client?: string): Promise<string> => {
  const res = await postToken(falcon, tokenForm(falcon, client));
  if (res.statusCode !== 201) throw new Error(`token refused: ${res.statusCode}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
};

/** The envelope of a hosts API answer. */
export interface Envelope {
  meta: { query_time: number; powered_by: string; trace_id: string; pagination?: Record<string, unknown> };
  resources?: unknown[];
  errors: { code: number; message: string; id?: string }[];
}

/** Parses a response body as the envelope. */
export const envelope = (res: Response<string>): Envelope => JSON.parse(res.body) as Envelope;

/** GETs `path` (with query) at `origin` (default home) with `token`. */
export const getWith = (falcon: SimulatedFalcon, token: string, path: string, origin = falcon.apiBaseUrl): Promise<Response<string>> =>
  httpFor(falcon).get(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
