/**
 * Options of the CrowdStrike probe: one table of `{ codec, default, doc }` (the codec, the
 * docs and the type all come from it).
 */
import * as t from "io-ts";
import { booleanOption, siteIdOption, wholeNumberOption } from "../../sdk/option-codecs.js";
import { DEFAULT_MAX_DEVICES, DEFAULT_MAX_PAGE_BYTES, DEFAULT_PAGE_DEADLINE_MS, MAX_MAX_PAGE_BYTES } from "../../sync/read-bounds.js";
import { optionsTable, type OptionsOf } from "../../sdk/options-table.js";
import { httpsUrl } from "../../util/decode.js";
import { FALCON_CLOUDS, type FalconCloud } from "./clouds.js";

/** The largest page of the combined and scroll endpoints (and the default: the fewest calls). */
export const MAX_PAGE_SIZE = 10_000;

const CLOUD_CHOICES = [...FALCON_CLOUDS, "auto"] as const;

const cloud = new t.Type<FalconCloud | "auto", string, unknown>(
  "FalconCloud",
  (u): u is FalconCloud | "auto" => typeof u === "string" && (CLOUD_CHOICES as readonly string[]).includes(u),
  (u, c) =>
    typeof u === "string" && (CLOUD_CHOICES as readonly string[]).includes(u.trim().toLowerCase())
      ? t.success(u.trim().toLowerCase() as FalconCloud | "auto")
      : t.failure(u, c, `expected one of ${CLOUD_CHOICES.join(", ")} (the cloud of the Falcon console's address; GovCloud must be named)`),
  t.identity,
);

const fql = new t.Type<string, string, unknown>(
  "FalconFilter",
  (u): u is string => typeof u === "string",
  (u, c) =>
    typeof u === "string" && u.trim().length > 0 && u.length <= 8_000
      ? t.success(u.trim())
      : t.failure(u, c, "expected an FQL filter such as platform_name:'Windows'+product_type_desc:'Server' (up to 8,000 characters)"),
  t.identity,
);

/** The CrowdStrike probe's options table: its codec (`crowdstrikeOptions.codec`), defaults and docs. */
export const crowdstrikeOptions = optionsTable(
  {
    cloud: {
      codec: cloud,
      default: "auto",
      doc: `The Falcon cloud: ${CLOUD_CHOICES.join(", ")}. auto starts at us-1 (or the credential's apiBaseUrl) and follows the token endpoint's redirect to the client's cloud; GovCloud (us-gov-1, us-gov-2) is never discovered and must be named.`,
    },
    apiBaseUrl: {
      codec: httpsUrl("Falcon API base URL"),
      doc: "Falcon API base URL (https) instead of the cloud's: a known Falcon API host, or one on the host the credential's apiBaseUrl names (the secret and the token go there). Default: the credential's, else the cloud's.",
    },
    excludeUnknown: { codec: booleanOption("excludeUnknown"), default: false, doc: "Only enrich assets the scan found; hosts that match none are left out." },
    includeInactive: {
      codec: booleanOption("includeInactive"),
      default: false,
      doc: "Also return hosts whose sensor has not reported within inactiveAfterDays.",
    },
    inactiveAfterDays: {
      codec: wholeNumberOption("InactiveAfterDays", 1, 3650, "days"),
      default: 7,
      doc: "A host whose last_seen is older than this many days is inactive (left out unless includeInactive) and, if kept, unhealthy.",
    },
    siteId: { codec: siteIdOption, default: null as string | null, doc: "Site for new assets in connector mode (probe mode uses the scan's site)." },
    filter: {
      codec: fql,
      doc: "An FQL filter passed to Falcon as it is (e.g. platform_name:'Linux'); it narrows the list, so a filtered run, like a partial one, calls no asset missing. Kept out of debug logs. Default: every host.",
    },
    pageSize: {
      codec: wholeNumberOption("PageSize", 1, MAX_PAGE_SIZE, "hosts"),
      default: MAX_PAGE_SIZE,
      doc: `Hosts per call, 1 to ${MAX_PAGE_SIZE} (the largest page: the fewest calls). Host details are fetched at most 5,000 at a time.`,
    },
    maxPageBytes: {
      codec: wholeNumberOption("MaxPageBytes", 1024, MAX_MAX_PAGE_BYTES, "bytes"),
      default: DEFAULT_MAX_PAGE_BYTES,
      doc: `Largest answer body read, in bytes, counted decompressed; a larger one stops the run (ERR_API_RESPONSE_TOO_LARGE). 1024 to ${MAX_MAX_PAGE_BYTES}. Default ${DEFAULT_MAX_PAGE_BYTES} (256 MiB; a 10,000-host page is tens of MB).`,
    },
    maxDevices: {
      codec: wholeNumberOption("MaxDevices", 1, Number.MAX_SAFE_INTEGER, "hosts"),
      default: DEFAULT_MAX_DEVICES,
      doc: `Most distinct hosts (or scroll ids) read; a list that goes on past it stops the run (ERR_API_LIST_TOO_LONG). Default ${DEFAULT_MAX_DEVICES}.`,
    },
    pageDeadlineMs: {
      codec: wholeNumberOption("PageDeadlineMs", 1, 24 * 60 * 60 * 1000, "milliseconds"),
      default: DEFAULT_PAGE_DEADLINE_MS,
      doc: `Longest time an answer's body may take to arrive, from its headers to its last byte, in ms; past it the run stops (ERR_API_PAGE_TIMEOUT). Default ${DEFAULT_PAGE_DEADLINE_MS} (10 minutes).`,
    },
  },
  "CrowdStrikeOptions",
);

/** Decoded options of the CrowdStrike probe, defaults merged. */
export type CrowdStrikeOptions = OptionsOf<typeof crowdstrikeOptions>;
