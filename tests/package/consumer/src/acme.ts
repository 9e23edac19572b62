/**
 * A probe written outside scan-probes, with its public exports only: Acme EDR, a source
 * that takes an API key and lists its devices page by page behind a cursor.
 *
 * API: `GET {apiBaseUrl}/v1/devices[?cursor=…]` with `Authorization: Bearer <apiKey>`,
 * answering `{ "devices": [ … ], "next": "<cursor>" | null }`.
 */
import * as t from "io-ts";
import {
  apiError,
  bearerClient,
  decodeWith,
  httpFailure,
  httpsUrl,
  optionsTable,
  parsedItems,
  ProbeRunError,
  scanPage,
  scannedItems,
  withoutItems,
  syncProbe,
  type ControlState,
  type CredentialKindSpec,
  type InvalidItemIdentifiers,
  type OptionsOf,
  type Probe,
  type ProbeInput,
  type SourcePage,
  type SourceSession,
  type SyncRun,
} from "scan-probes/sdk";

/** Acme's credential: an API key. io-ts messages name fields, never values. */
const AcmeKeyCodec = t.strict({ kind: t.literal("acme-api-key"), apiKey: t.string }, "AcmeApiKey");

/** A decoded Acme credential. */
export type AcmeKey = t.TypeOf<typeof AcmeKeyCodec>;

/** The credential kind Acme takes. */
export const ACME_API_KEY: CredentialKindSpec<AcmeKey> = { kind: "acme-api-key", title: "Acme API key", codec: AcmeKeyCodec };

/** Acme's options: one table gives the codec, the docs and the type. */
const acmeOptions = optionsTable(
  {
    apiBaseUrl: { codec: httpsUrl("Acme API base URL"), default: "https://api.acme.example", doc: "The Acme API (https): the API key is sent there only." },
    includeInactive: { codec: t.boolean, default: false, doc: "Also return devices Acme marks inactive." },
    excludeUnknown: { codec: t.boolean, default: false, doc: "Leave out devices that match no scanned asset." },
  },
  "AcmeOptions",
);

/** Acme's decoded options. */
export type AcmeOptions = OptionsOf<typeof acmeOptions>;

/** One device as the API sends it. */
const AcmeDeviceCodec = t.intersection([
  t.type({ id: t.string, hostname: t.string, agent: t.keyof({ healthy: null, degraded: null, absent: null }) }),
  t.partial({ ip: t.string, mac: t.string, os: t.string, lastSeen: t.string, inactive: t.boolean }),
]);
type AcmeDevice = t.TypeOf<typeof AcmeDeviceCodec>;

/** A page's envelope: the items are decoded one by one by the pipeline. */
const PageCodec = t.type({ devices: t.array(t.unknown), next: t.union([t.string, t.null]) });

const STATE: Readonly<Record<AcmeDevice["agent"], ControlState>> = { healthy: "protected", degraded: "unhealthy", absent: "not-onboarded" };

/** Opens the device list: one client for the run (the key goes to `apiBaseUrl` only), pages read on demand. */
const openAcme = async (input: ProbeInput<AcmeOptions, AcmeKey>, run: SyncRun): Promise<SourceSession> => {
  const { apiBaseUrl } = input.options;
  const { client, noteResponse } = bearerClient({
    run,
    first: { token: input.credential.apiKey },
    // An API key does not renew: a 401 ends the run.
    renew: async () => ({ error: apiError("ERR_API_UNAUTHORIZED", "Acme refused the API key (HTTP 401).", "Check the apiKey of the credential.") }),
    budget: run.budgets.for("acme", new URL(apiBaseUrl).origin),
  });
  async function* pages(): AsyncGenerator<SourcePage, void, undefined> {
    let cursor: string | null = null;
    let number = 0;
    do {
      const searchParams: Record<string, string> = cursor === null ? {} : { cursor };
      const response = await client.get(`${apiBaseUrl}/v1/devices`, { searchParams, signal: run.signal });
      noteResponse("GET", response);
      number += 1;
      // The devices are split from the page rather than parsed with it (each is parsed when used); a body the scan cannot follow is parsed whole.
      const text = String(response.body);
      const scan = scanPage(text, { items: "devices", id: "id" });
      let body: unknown;
      try {
        body = JSON.parse(scan === undefined ? text : withoutItems(text, scan));
      } catch {
        body = undefined;
      }
      const page = PageCodec.decode(body);
      if (page._tag === "Left")
        throw new ProbeRunError(
          apiError("ERR_API_BAD_RESPONSE", `Page ${number} of the Acme device list was not valid JSON.`, "Run again; the run is marked incomplete."),
        );
      yield { number, items: scan === undefined ? parsedItems(page.right.devices) : scannedItems(scan) };
      cursor = page.right.next;
    } while (cursor !== null);
  }
  return {
    pages: pages(),
    classify: (error) => httpFailure(error, { source: "Acme", signal: run.signal, permissionHint: "Give the API key the devices:read scope." }),
  };
};

/** The identifiers of a device that failed decoding, read loosely; null when a field is there but unreadable. */
const identifiersOfInvalid = (raw: unknown): InvalidItemIdentifiers | null => {
  if (typeof raw !== "object" || raw === null) return { names: [], addresses: [], macs: [] };
  const fields = raw as Readonly<Record<string, unknown>>;
  const read = (key: string): string[] | null => {
    const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
    return value === undefined || value === null ? [] : typeof value === "string" ? [value] : null;
  };
  const names = read("hostname");
  const addresses = read("ip");
  const macs = read("mac");
  return names === null || addresses === null || macs === null ? null : { names, addresses, macs };
};

/** The Acme EDR probe. */
export const acme: Probe<AcmeOptions, AcmeKey> = syncProbe({
  id: "acme",
  title: "Acme EDR",
  toggles: { probe: "Acme", credential: "AcmeEdr" },
  credentialKinds: [ACME_API_KEY],
  control: { id: "edr", title: "EDR" },
  options: acmeOptions.codec,
  optionDocs: acmeOptions.docs,
  errorCodes: { ERR_API_FORBIDDEN: { fault: "user", means: "The API key lacks the devices:read scope." } },
  logPrefix: "ACME",
  settingsOf: (options) => ({ includeInactive: options.includeInactive, excludeUnknown: options.excludeUnknown, siteId: null, incremental: false }),
  open: openAcme,
  decode: (raw, place) => decodeWith(AcmeDeviceCodec, raw, place, "ACME_INVALID_DEVICE"),
  idOf: (device) => device.id,
  describe: (device, id) => ({
    device: {
      id,
      names: [device.hostname],
      addresses: device.ip === undefined ? [] : [device.ip],
      macs: device.mac === undefined ? [] : [device.mac],
      lastSeen: device.lastSeen ?? null,
      mergedIntoId: null,
      potentialDuplicate: false,
      os: device.os ?? null,
    },
    state: STATE[device.agent],
    inactive: device.inactive === true,
    os: device.os ?? null,
    firstSeen: null,
    lastSeen: device.lastSeen ?? null,
  }),
  identifiersOfInvalid,
});
