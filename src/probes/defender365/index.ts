/**
 * The Microsoft 365 Defender (Defender for Endpoint) probe: signs in with an app
 * registration (`Machine.Read.All`), reads the device list, and returns enrichment records
 * and the EDR coverage of every scanned asset.
 */
import { left } from "fp-ts/lib/Either.js";
import type { Probe } from "../../contract.js";
import { inputError } from "../../errors.js";
import { resolveRunOptions } from "./endpoints.js";
import { Defender365OptionsCodec, OPTION_DOCS, type Defender365Options } from "./options.js";
import { PROBE_ID, runDefender365 } from "./run.js";
import { verifyDefender365 } from "./verify.js";

/** The Defender365 probe value. Register it with `createRegistry([defender365])`. */
export const defender365: Probe<Defender365Options> = {
  id: PROBE_ID,
  title: "Microsoft 365 Defender (Defender for Endpoint)",
  shortTitle: "Defender",
  toggles: { probe: "Defender365", credential: "MS365Defender" },
  control: { id: "edr", title: "EDR" },
  credentialKinds: ["azure-client-secret", "azure-client-certificate", "azure-workload-identity", "azure-managed-identity"],
  options: Defender365OptionsCodec,
  optionDocs: OPTION_DOCS,
  checkInput: (credential, options) => {
    const settled = resolveRunOptions(credential, options);
    return settled._tag === "Left" ? settled.left : [];
  },
  run: (input, env) => () => {
    const settled = resolveRunOptions(input.credential, input.options);
    if (settled._tag === "Left") return Promise.resolve(left(inputError(settled.left, "options")));
    return runDefender365({ ...input, options: settled.right }, env);
  },
  verify: verifyDefender365,
};

export type { Defender365Options } from "./options.js";
