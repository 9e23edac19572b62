/**
 * Where a run sends the secret and the token, settled when the credential and the options
 * meet, before any network call. The destination belongs to the credential: its `cloud`
 * and the `authorityHost` / `apiBaseUrl` it names. Options may still name hosts, but only
 * the cloud preset's (regional API hosts included) or the very hosts the credential names;
 * anything else is an input error naming the option, so that whoever may edit a task's
 * options cannot have the secret sent to a server of theirs.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { Credential } from "../../azure/credentials.js";
import type { FieldIssue } from "../../util/decode.js";
import type { Cloud } from "../../azure/clouds.js";
import { CLOUD_ENDPOINTS, type CloudEndpoints } from "./clouds.js";
import type { Defender365Options } from "./options.js";

/** Where each endpoint came from, for `verify` and the logs. */
export type EndpointSource = "credential" | "options" | "cloud preset";

/** The endpoints of a run, each with where it came from. */
export interface RunEndpoints {
  readonly cloud: Cloud;
  readonly authorityHost: string;
  readonly apiBaseUrl: string;
  readonly scope: string;
  readonly portal: string;
  readonly sources: { readonly cloud: EndpointSource; readonly authorityHost: EndpointSource; readonly apiBaseUrl: EndpointSource };
}

/** Options with the endpoints settled: what a run reads. */
export type Defender365RunOptions = Omit<Defender365Options, keyof CloudEndpoints | "cloud"> & Omit<CloudEndpoints, "apiHosts"> & { readonly cloud: Cloud };

const originOf = (url: string): string => new URL(url).origin;

/** The first of `named` that is defined, with its source. */
const pick = <T>(named: readonly (readonly [T | undefined, EndpointSource])[], fallback: T): [T, EndpointSource] => {
  for (const [value, source] of named) if (value !== undefined) return [value, source];
  return [fallback, "cloud preset"];
};

/**
 * Settles the endpoints of a run. Left: every option that names a host (or cloud) the
 * credential does not allow, each with the fix. Pure: no I/O.
 */
export const resolveEndpoints = (credential: Credential, options: Defender365Options): Either<readonly FieldIssue[], RunEndpoints> => {
  const issues: FieldIssue[] = [];
  const [cloud, cloudSource] = pick<Cloud>(
    [
      [credential.cloud, "credential"],
      [options.cloud, "options"],
    ],
    "commercial",
  );
  if (credential.cloud !== undefined && options.cloud !== undefined && options.cloud !== credential.cloud) {
    issues.push({
      field: "cloud",
      problem: `the credential is for the ${credential.cloud} cloud; leave cloud out or set it to ${credential.cloud} (where the secret goes belongs to the credential)`,
    });
  }
  const preset = CLOUD_ENDPOINTS[cloud];

  const allowedAuthorities = new Set([originOf(preset.authorityHost), ...(credential.authorityHost !== undefined ? [originOf(credential.authorityHost)] : [])]);
  if (options.authorityHost !== undefined && !allowedAuthorities.has(originOf(options.authorityHost))) {
    issues.push({
      field: "authorityHost",
      problem: `the client secret or key would be sent to ${originOf(options.authorityHost)}, which is neither the ${cloud} cloud's authority (${preset.authorityHost}) nor one the credential names; name it in the credential's authorityHost instead`,
    });
  }
  const allowedApis = new Set([
    ...preset.apiHosts.map((host) => `https://${host}`),
    ...(credential.apiBaseUrl !== undefined ? [originOf(credential.apiBaseUrl)] : []),
  ]);
  if (options.apiBaseUrl !== undefined && !allowedApis.has(originOf(options.apiBaseUrl))) {
    issues.push({
      field: "apiBaseUrl",
      problem: `the access token would be sent to ${originOf(options.apiBaseUrl)}, which is neither a ${cloud} cloud API host (e.g. ${preset.apiBaseUrl} or a regional one) nor one the credential names; name it in the credential's apiBaseUrl instead`,
    });
  }
  if (issues.length > 0) return left(issues);

  const [authorityHost, authoritySource] = pick(
    [
      [options.authorityHost, "options"],
      [credential.authorityHost, "credential"],
    ],
    preset.authorityHost,
  );
  const [apiBaseUrl, apiSource] = pick(
    [
      [options.apiBaseUrl, "options"],
      [credential.apiBaseUrl, "credential"],
    ],
    preset.apiBaseUrl,
  );
  return right({
    cloud,
    authorityHost,
    apiBaseUrl,
    scope: options.scope ?? preset.scope,
    portal: preset.portal,
    sources: { cloud: cloudSource, authorityHost: authoritySource, apiBaseUrl: apiSource },
  });
};

/** The options a run reads: decoded options with the endpoints settled for `credential`. */
export const resolveRunOptions = (credential: Credential, options: Defender365Options): Either<readonly FieldIssue[], Defender365RunOptions> => {
  const endpoints = resolveEndpoints(credential, options);
  if (endpoints._tag === "Left") return endpoints;
  const { sources: _sources, ...settled } = endpoints.right;
  return right({ ...options, ...settled });
};
