/**
 * The Microsoft 365 Defender (Defender for Endpoint) probe: signs in with an app
 * registration (`Machine.Read.All`), reads the device list, and returns enrichment records
 * and the EDR coverage of every scanned asset. Only Defender's own parts live here; the
 * framework's pipeline (`sync/`) does the rest.
 */
import type { Probe } from "../../contract.js";
import { AZURE_CREDENTIAL_KINDS, type Credential } from "../../azure/credentials.js";
import { syncProbe } from "../../sync/probe.js";
import type { SyncSource } from "../../sync/source.js";
import { decodeMachine } from "./decode-machine.js";
import { edrState, isInactive, osOf, sourceDeviceWithId } from "./device.js";
import { resolveRunOptions } from "./endpoints.js";
import { DEFENDER365_ERROR_CODES } from "./error-codes.js";
import { identifiersOfInvalidMachine } from "./invalid-machine.js";
import type { Machine } from "./machine.js";
import { Defender365OptionsCodec, OPTION_DOCS, type Defender365Options } from "./options.js";
import { openDefender365 } from "./session.js";
import { verifyDefender365 } from "./verify.js";

/** The probe id. */
export const PROBE_ID = "defender365";

/** Defender as a source of the sync pipeline. */
export const defender365Source: SyncSource<Defender365Options, Credential, Machine> = {
  id: PROBE_ID,
  title: "Microsoft 365 Defender (Defender for Endpoint)",
  shortTitle: "Defender",
  toggles: { probe: "Defender365", credential: "MS365Defender" },
  control: { id: "edr", title: "EDR" },
  credentialKinds: AZURE_CREDENTIAL_KINDS,
  errorCodes: DEFENDER365_ERROR_CODES,
  options: Defender365OptionsCodec,
  optionDocs: OPTION_DOCS,
  checkInput: (credential, options) => {
    const settled = resolveRunOptions(credential, options);
    return settled._tag === "Left" ? settled.left : [];
  },
  logPrefix: "DEFENDER",
  settingsOf: (options) => ({
    includeInactive: options.includeInactive,
    excludeUnknown: options.excludeUnknown,
    siteId: options.siteId,
    incremental: options.lastSeenAfter !== undefined,
  }),
  open: openDefender365,
  decode: (raw, place) => decodeMachine(raw, place.page, place.index),
  idOf: (machine) => machine.id,
  describe: (machine, id) => ({
    device: sourceDeviceWithId(machine, id),
    state: edrState(machine),
    inactive: isInactive(machine),
    os: osOf(machine),
    firstSeen: machine.firstSeen ?? null,
    lastSeen: machine.lastSeen ?? null,
  }),
  identifiersOfInvalid: identifiersOfInvalidMachine,
  verify: verifyDefender365,
};

/** The Defender365 probe value. Register it with `createRegistry([defender365])`. */
export const defender365: Probe<Defender365Options, Credential> = syncProbe(defender365Source);

export type { Defender365Options } from "./options.js";
