/**
 * Where a run sends the secret and the token, settled when the credential and the options
 * meet, before any network call: the options' `apiBaseUrl`, else the credential's, else the
 * cloud's host (us-1 for `auto`). An `apiBaseUrl` option must be a known Falcon API host or
 * be on the host the credential's `apiBaseUrl` names: whoever may edit a task's options
 * cannot have the secret sent to a server of theirs.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type { FieldIssue } from "../../contract.js";
import { cloudBaseUrl, cloudOfHost, isGovCloud, type FalconCloud } from "./clouds.js";
import type { FalconApiClient } from "./credential.js";
import type { CrowdStrikeOptions } from "./options.js";

/** Who named the API base URL, for `verify` and the logs. */
export type BaseUrlSource = "options" | "credential" | "cloud";

/** Where a run starts. */
export interface FalconEndpoints {
  /** The cloud the options name, or `auto`. */
  readonly cloud: FalconCloud | "auto";
  /** The API base URL the token is first asked for at (origin and path, no trailing slash). */
  readonly apiBaseUrl: string;
  /** Who named it. */
  readonly source: BaseUrlSource;
  /** True when the hosts are listed by scroll and entities (GovCloud has no combined endpoint). */
  readonly scrollOnly: boolean;
}

const hostOf = (url: string): string => new URL(url).hostname.toLowerCase();

/** Settles where a run starts; Left: each option the credential does not allow, with the fix. Pure. */
export const resolveEndpoints = (credential: FalconApiClient, options: CrowdStrikeOptions): Either<readonly FieldIssue[], FalconEndpoints> => {
  const issues: FieldIssue[] = [];
  const { cloud } = options;
  if (options.apiBaseUrl !== undefined) {
    const host = hostOf(options.apiBaseUrl);
    const known = cloudOfHost(host);
    const credentialHost = credential.apiBaseUrl === undefined ? undefined : hostOf(credential.apiBaseUrl);
    if (known === undefined && host !== credentialHost)
      issues.push({
        field: "apiBaseUrl",
        problem: `the secret and the token would be sent to ${new URL(options.apiBaseUrl).origin}, which is neither a Falcon API host nor on the host the credential's apiBaseUrl names; name it in the credential's apiBaseUrl instead`,
      });
    else if (known !== undefined && cloud !== "auto" && known !== cloud)
      issues.push({
        field: "apiBaseUrl",
        problem: `${host} is the ${known} cloud's host, but the cloud option names ${cloud}; make them agree (or leave one out)`,
      });
  }
  if (issues.length > 0) return left(issues);
  const [apiBaseUrl, source]: [string, BaseUrlSource] =
    options.apiBaseUrl !== undefined
      ? [options.apiBaseUrl, "options"]
      : credential.apiBaseUrl !== undefined
        ? [credential.apiBaseUrl, "credential"]
        : [cloudBaseUrl(cloud === "auto" ? "us-1" : cloud), "cloud"];
  return right({ cloud, apiBaseUrl, source, scrollOnly: cloud !== "auto" && isGovCloud(cloud) });
};
