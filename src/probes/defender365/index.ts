/**
 * The Microsoft 365 Defender (Defender for Endpoint) probe: signs in with an app
 * registration (`Machine.Read.All`), reads the device list, and returns enrichment records
 * and the EDR coverage of every scanned asset.
 */
import type { Probe } from "../../contract.js";
import { Defender365OptionsCodec, OPTION_DOCS, type Defender365Options } from "./options.js";
import { PROBE_ID, runDefender365 } from "./run.js";

/** The Defender365 probe value. Register it with `createRegistry([defender365])`. */
export const defender365: Probe<Defender365Options> = {
  id: PROBE_ID,
  title: "Microsoft 365 Defender (Defender for Endpoint)",
  toggles: { probe: "Defender365", credential: "MS365Defender" },
  credentialKinds: ["azure-client-secret", "azure-client-certificate"],
  options: Defender365OptionsCodec,
  optionDocs: OPTION_DOCS,
  run: (input, env) => () => runDefender365(input, env),
};

export type { Defender365Options } from "./options.js";
