/**
 * Options of the Defender365 probe: one codec, all defaults in one object, unknown keys
 * refused with their name (got's way).
 */
import * as t from "io-ts";
import { booleanOption, siteIdOption, wholeNumberOption } from "../../sdk/option-codecs.js";
import { DEFAULT_MAX_DEVICES, DEFAULT_MAX_PAGE_BYTES, DEFAULT_PAGE_DEADLINE_MS, MAX_MAX_PAGE_BYTES } from "../../sync/read-bounds.js";
import { httpsUrl, strictKeys } from "../../util/decode.js";
import { CLOUDS, CloudCodec, type Cloud } from "../../azure/clouds.js";
import { withoutUndefined } from "../../util/objects.js";

/** The largest page the API serves (and the default: the fewest calls). */
export const MAX_PAGE_SIZE = 10_000;

/** A client-credentials scope: one resource followed by `/.default` (Entra refuses anything else: AADSTS1002012, 70011). */
const scope = new t.Type<string, string, unknown>(
  "Scope",
  (u): u is string => typeof u === "string",
  (u, c) =>
    typeof u === "string" && /^\S+\/\.default$/.test(u.trim())
      ? t.success(u.trim())
      : t.failure(
          u,
          c,
          "expected the resource followed by /.default, e.g. https://api.securitycenter.microsoft.com/.default (or leave it out for the cloud's)",
        ),
  t.identity,
);

/**
 * Devices per call: at least 2, because consecutive pages overlap by one device, and that
 * overlap is what tells a list that shifted, or an empty page that is not the end.
 */
const pageSize = new t.Type<number, number, unknown>(
  "PageSize",
  (u): u is number => typeof u === "number",
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 2 && u <= MAX_PAGE_SIZE
      ? t.success(u)
      : t.failure(u, c, `expected a whole number from 2 to ${MAX_PAGE_SIZE} (the API's maximum, and the default; pages overlap by one device)`),
  t.identity,
);

const isoTime = new t.Type<string, string, unknown>(
  "IsoTime",
  (u): u is string => typeof u === "string",
  (u, c) =>
    typeof u === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/.test(u) && !Number.isNaN(Date.parse(u))
      ? t.success(u)
      : t.failure(u, c, "expected a UTC time like 2025-06-01T00:00:00Z (the summary's cursor from the last run)"),
  t.identity,
);

const deviceCount = new t.Type<number, number, unknown>(
  "DeviceCount",
  (u): u is number => typeof u === "number",
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 0
      ? t.success(u)
      : t.failure(u, c, "expected a whole number of devices, 0 or more (the previous summary's counts.fetched)"),
  t.identity,
);

const props = {
  excludeUnknown: booleanOption("excludeUnknown"),
  includeInactive: booleanOption("includeInactive"),
  siteId: siteIdOption,
  cloud: CloudCodec,
  apiBaseUrl: httpsUrl("Defender API base URL"),
  authorityHost: httpsUrl("Entra ID authority host"),
  scope,
  pageSize,
  lastSeenAfter: isoTime,
  expectedDevices: deviceCount,
  maxPageBytes: wholeNumberOption("MaxPageBytes", 1024, MAX_MAX_PAGE_BYTES, "bytes"),
  pageDeadlineMs: wholeNumberOption("PageDeadlineMs", 1, 24 * 60 * 60 * 1000, "milliseconds"),
  maxDevices: wholeNumberOption("MaxDevices", 1, Number.MAX_SAFE_INTEGER, "devices"),
};

/**
 * Defaults, in one place. `cloud`, `apiBaseUrl`, `authorityHost` and `scope` have none here:
 * they are settled with the credential before a run (`endpoints.ts`), from the credential,
 * then the cloud preset (commercial when neither names one).
 */
export const DEFAULT_OPTIONS = {
  excludeUnknown: false,
  includeInactive: false,
  siteId: null as string | null,
  pageSize: MAX_PAGE_SIZE,
  maxPageBytes: DEFAULT_MAX_PAGE_BYTES,
  pageDeadlineMs: DEFAULT_PAGE_DEADLINE_MS,
  maxDevices: DEFAULT_MAX_DEVICES,
};

/** What each option does, for `--help`, `scan-probe list` and the README. */
export const OPTION_DOCS: Readonly<Record<keyof typeof props, string>> = {
  excludeUnknown: "Only enrich assets the scan found; devices that match none are left out. Default false.",
  includeInactive: "Also return devices Defender marks Inactive (no signal for 7 days). Default false.",
  siteId: "Site for new assets in connector mode (probe mode uses the scan's site). Default null.",
  cloud: `National cloud preset: ${CLOUDS.join(", ")}. Sets authority, API host and scope together. Must agree with the credential's cloud when it names one. Default: the credential's, else commercial.`,
  apiBaseUrl:
    "Defender API base URL (https): one of the cloud's hosts (regional ones included, e.g. https://eu.api.security.microsoft.com) or the one the credential names. Default: the credential's, else the cloud's.",
  authorityHost:
    "Entra ID authority host (https): the cloud's (e.g. https://login.microsoftonline.us) or the one the credential names; any other host is refused, because the secret is sent there. Default: the credential's, else the cloud's.",
  scope: "Token scope override (the WindowsDefenderATP resource + /.default). Default from cloud.",
  pageSize: `Devices per API call, 2 to ${MAX_PAGE_SIZE}. Default ${MAX_PAGE_SIZE} (the fewest calls).`,
  lastSeenAfter:
    "Incremental sync: only devices whose lastSeen is after this UTC time (pass the previous summary's cursor). Coverage verdicts short of protected are then unknown. Default: a full sync.",
  expectedDevices:
    "Devices the list is expected to hold (pass the previous sync's summary counts.fetched, same options). A slow API then gets no calls past the expected end; a longer list is still read whole. Default: unknown.",
  maxPageBytes: `Largest page body read, in bytes, counted decompressed; a larger one stops the run (ERR_API_RESPONSE_TOO_LARGE). 1024 to ${MAX_MAX_PAGE_BYTES}. Default ${DEFAULT_MAX_PAGE_BYTES} (256 MiB; a 10,000-device page is about 13 MB).`,
  pageDeadlineMs: `Longest time a page's body may take to arrive, from its headers to its last byte, in ms; past it the run stops (ERR_API_PAGE_TIMEOUT). Default ${DEFAULT_PAGE_DEADLINE_MS} (10 minutes).`,
  maxDevices: `Most devices read; a list that goes on past it stops the run (ERR_API_LIST_TOO_LONG). Default ${DEFAULT_MAX_DEVICES}.`,
};

const RawOptions = strictKeys(props, "Defender365Options", (key) => `unknown option "${key}"; known options: ${Object.keys(props).join(", ")}`);

/**
 * Decoded options with defaults merged. The endpoints (`cloud`, `authorityHost`,
 * `apiBaseUrl`, `scope`) are as the options name them, or undefined: where the secret
 * goes is settled with the credential (`resolveRunOptions` in `endpoints.ts`).
 */
export interface Defender365Options {
  readonly excludeUnknown: boolean;
  readonly includeInactive: boolean;
  readonly siteId: string | null;
  readonly pageSize: number;
  /** The cloud preset the options name, if any. */
  readonly cloud?: Cloud | undefined;
  /** The authority host the options name, if any (checked against the credential's cloud and hosts). */
  readonly authorityHost?: string | undefined;
  /** The API base URL the options name, if any (checked against the credential's cloud and hosts). */
  readonly apiBaseUrl?: string | undefined;
  /** The token scope the options name, if any. */
  readonly scope?: string | undefined;
  /** Incremental sync from this time (ISO 8601 UTC), or undefined for a full sync. */
  readonly lastSeenAfter?: string | undefined;
  /** Devices the list is expected to hold (the previous sync's count), or undefined when unknown: caps the pages read ahead. */
  readonly expectedDevices?: number | undefined;
  /** Largest page body, decompressed, in bytes. */
  readonly maxPageBytes: number;
  /** Longest time from a page's headers to its last byte, in ms. */
  readonly pageDeadlineMs: number;
  /** Most devices read before the run stops as a list that never ends. */
  readonly maxDevices: number;
}

/** Decodes options (`undefined` or `{}` gives every default). */
export const Defender365OptionsCodec = new t.Type<Defender365Options, unknown, unknown>(
  "Defender365Options",
  (u): u is Defender365Options => typeof u === "object" && u !== null && "pageSize" in u && "siteId" in u,
  (u, c) => {
    const raw = RawOptions.validate(u === undefined || u === null ? {} : u, c);
    if (raw._tag === "Left") return raw;
    return t.success({ ...DEFAULT_OPTIONS, ...withoutUndefined(raw.right) });
  },
  t.identity,
);
