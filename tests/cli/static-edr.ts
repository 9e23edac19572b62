/**
 * A second EDR probe for tests of a scan task, written against the public SDK as an outside
 * author would (`syncProbe`): "Static EDR" lists the devices its options hold, a page each,
 * and fails with `ERR_API_SERVER` on the page `failAtPage` names. It sends nothing; the
 * framework does the rest (decoding, correlation, records, coverage), as for any probe.
 */
import * as t from "io-ts";
import { apiError, decodeWith, optionsTable, ProbeRunError, syncProbe, type ControlState, type Probe, type SourcePage } from "../../src/sdk/index.js";

const DeviceCodec = t.type({ id: t.string, hostname: t.string, ip: t.string, agent: t.keyof({ healthy: null, degraded: null, absent: null }) });
type Device = t.TypeOf<typeof DeviceCodec>;

const staticOptions = optionsTable(
  {
    devices: { codec: t.array(t.unknown), default: [], doc: "The devices to list, one page each." },
    failAtPage: { codec: t.number, default: 0, doc: "The page that fails with ERR_API_SERVER (0: none)." },
  },
  "StaticEdrOptions",
);

const STATE: Readonly<Record<Device["agent"], ControlState>> = { healthy: "protected", degraded: "unhealthy", absent: "not-onboarded" };

/** The test-only EDR probe: toggle `StaticEdr`, no credential, control `edr`. */
export const staticEdr: Probe<t.TypeOf<typeof staticOptions.codec>, undefined> = syncProbe({
  id: "static-edr",
  title: "Static EDR",
  toggles: { probe: "StaticEdr", credential: "StaticEdrCredential" },
  credentialKinds: [],
  control: { id: "edr", title: "EDR" },
  options: staticOptions.codec,
  optionDocs: staticOptions.docs,
  logPrefix: "STATIC_EDR",
  settingsOf: () => ({ includeInactive: true, excludeUnknown: false, siteId: null, incremental: false }),
  open: async (input) => {
    const { devices = [], failAtPage = 0 } = input.options;
    async function* pages(): AsyncGenerator<SourcePage, void, undefined> {
      for (const [index, device] of devices.entries()) {
        if (index + 1 === failAtPage) throw new ProbeRunError(apiError("ERR_API_SERVER", `Static EDR failed on page ${index + 1}.`, "Run again."));
        yield { number: index + 1, items: [device] };
      }
    }
    return {
      pages: pages(),
      classify: (error) => (error instanceof ProbeRunError ? error.detail : apiError("ERR_API_SERVER", "Static EDR failed.", "Run again.")),
    };
  },
  decode: (raw, place) => decodeWith(DeviceCodec, raw, place, "STATIC_EDR_INVALID_DEVICE"),
  idOf: (device) => device.id,
  describe: (device, id) => ({
    device: { id, names: [device.hostname], addresses: [device.ip], macs: [], lastSeen: null, mergedIntoId: null, potentialDuplicate: false, os: null },
    state: STATE[device.agent],
    inactive: false,
    os: null,
    firstSeen: null,
    lastSeen: null,
  }),
  identifiersOfInvalid: () => null,
});
