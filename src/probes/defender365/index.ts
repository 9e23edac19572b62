/**
 * The Microsoft 365 Defender (Defender for Endpoint) probe: signs in with an app
 * registration (`Machine.Read.All`), reads the device list, and returns enrichment records
 * and the EDR coverage of every scanned asset.
 */
import { left } from "fp-ts/lib/Either.js";
import type { Probe } from "../../contract.js";
import { AZURE_CREDENTIAL_KINDS, type Credential } from "../../azure/credentials.js";
import { inputError } from "../../errors.js";
import { resolveRunOptions } from "./endpoints.js";
import { Defender365OptionsCodec, OPTION_DOCS, type Defender365Options } from "./options.js";
import { PROBE_ID, runDefender365 } from "./run.js";
import { DEFENDER365_ERROR_CODES } from "./error-codes.js";

/** The Defender365 probe value. Register it with `createRegistry([defender365])`. */
export const defender365: Probe<Defender365Options, Credential> = {
  id: PROBE_ID,
  title: "Microsoft 365 Defender (Defender for Endpoint)",
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
  run: (input, env) => () => {
    const settled = resolveRunOptions(input.credential, input.options);
    if (settled._tag === "Left") return Promise.resolve(left(inputError(settled.left, "options")));
    return runDefender365({ ...input, options: settled.right }, env);
  },
};

export type { Defender365Options } from "./options.js";
