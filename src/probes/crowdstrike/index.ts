/**
 * The CrowdStrike Falcon probe: signs in with an API client (OAuth2 client credentials, scope
 * `Hosts: Read`), reads the host list, and returns enrichment records and the EDR coverage of
 * every scanned asset. Only Falcon's own parts live here; the framework's pipeline (`sync/`)
 * does the rest. The files: `credential.ts` (the credential kind), `options.ts`,
 * `endpoints.ts` and `clouds.ts` (where the secret may go), `sign-in.ts`, `session.ts` (the
 * run's client), `calls.ts` (one call, judged), `listing.ts` and `paging.ts` (the list),
 * `host.ts` and `device.ts` (one host), `api-errors.ts` and `error-codes.ts`, `verify.ts`.
 */
import type { Probe } from "../../contract.js";
import { attributesJson } from "../../sync/attributes.js";
import { syncProbe } from "../../sync/probe.js";
import type { DecodedItem, SyncSource } from "../../sync/source.js";
import { issuesOf } from "../../util/decode.js";
import { FALCON_API_CLIENT, type FalconApiClient } from "./credential.js";
import { edrState, isInactive, osOf, sourceDeviceOf } from "./device.js";
import { resolveEndpoints } from "./endpoints.js";
import { CROWDSTRIKE_ERROR_CODES } from "./error-codes.js";
import { deviceIdOf, HostCodec, isRawFalconItem, type FalconItem } from "./host.js";
import { identifiersOfInvalidHost } from "./invalid-host.js";
import { crowdstrikeOptions, type CrowdStrikeOptions } from "./options.js";
import { openCrowdStrike } from "./session.js";
import { verifyCrowdStrike } from "./verify.js";

/** The probe id. */
export const CROWDSTRIKE_PROBE_ID = "crowdstrike";

/** Decodes one host as a page handed it over; a broken one becomes a warning naming fields, never values. */
export const decodeFalconItem = (raw: unknown, page: number, index: number): DecodedItem<FalconItem> => {
  const host: unknown = isRawFalconItem(raw) ? raw.host : raw;
  const decoded = HostCodec.decode(host);
  // The item as handed over when the decode left its host as it was: then the host's text as sent still stands for it (see `attributes`).
  if (decoded._tag === "Right" && isRawFalconItem(raw))
    return { item: decoded.right === host ? (raw as FalconItem) : { host: decoded.right, staleBefore: raw.staleBefore } };
  const issues = decoded._tag === "Left" ? issuesOf(decoded.left, 5) : [{ field: "(root)", problem: "expected a host of this probe's pages" }];
  return {
    warning: {
      code: "FALCON_INVALID_DEVICE",
      message: `Skipped host ${deviceIdOf(host) ?? "(no device_id)"}: ${issues.map((i) => `${i.field} ${i.problem}`).join("; ")}.`,
      path: `page ${page} › resources[${index}]${issues[0] && issues[0].field !== "(root)" ? `.${issues[0].field}` : ""}`,
    },
  };
};

/** Falcon as a source of the sync pipeline. */
export const crowdstrikeSource: SyncSource<CrowdStrikeOptions, FalconApiClient, FalconItem> = {
  id: CROWDSTRIKE_PROBE_ID,
  title: "CrowdStrike Falcon",
  shortTitle: "Falcon",
  toggles: { probe: "CrowdStrike", credential: "CrowdStrike" },
  control: { id: "edr", title: "EDR" },
  credentialKinds: [FALCON_API_CLIENT],
  errorCodes: CROWDSTRIKE_ERROR_CODES,
  options: crowdstrikeOptions.codec,
  optionDocs: crowdstrikeOptions.docs,
  checkInput: (credential, options) => {
    const settled = resolveEndpoints(credential, options);
    return settled._tag === "Left" ? settled.left : [];
  },
  logPrefix: "FALCON",
  settingsOf: (options) => ({
    includeInactive: options.includeInactive,
    excludeUnknown: options.excludeUnknown,
    siteId: options.siteId,
    incremental: options.filter !== undefined,
  }),
  open: openCrowdStrike,
  decode: (raw, place) => decodeFalconItem(raw, place.page, place.index),
  idOf: (item) => item.host.device_id,
  describe: (item, id) => ({
    device: sourceDeviceOf(item.host, id),
    state: edrState(item),
    inactive: isInactive(item),
    os: osOf(item.host),
    firstSeen: item.host.first_seen ?? null,
    lastSeen: item.host.last_seen ?? null,
  }),
  attributes: (item, text) => attributesJson(item.host, text), // `text`: the host's JSON as sent (see `falconItems`)
  identifiersOfInvalid: identifiersOfInvalidHost,
  verify: verifyCrowdStrike,
};

/** The CrowdStrike probe value. */
export const crowdstrike: Probe<CrowdStrikeOptions, FalconApiClient> = syncProbe(crowdstrikeSource);

export type { CrowdStrikeOptions } from "./options.js";
export type { FalconApiClient } from "./credential.js";
