/**
 * A {@link Probe} from a {@link SyncSource}: the source's own parts driven by the framework's
 * pipeline (`run.ts`).
 */
import { left } from "fp-ts/lib/Either.js";
import type { Probe } from "../contract.js";
import { inputError } from "../engine/errors.js";
import { runSync } from "./run.js";
import type { SyncSource } from "./source.js";

/** Probe ids and control ids: lowercase letters and digits, words joined by `-`. */
const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Task-log code prefixes: uppercase letters and digits, words joined by `_`. */
const LOG_PREFIX = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * The probe of `source`. Throws at start-up (a programming error) when its id, its control's
 * id or its log prefix is not of the documented form.
 */
export const syncProbe = <Options, Cred, Item>(source: SyncSource<Options, Cred, Item>): Probe<Options, Cred> => {
  if (!ID.test(source.id)) throw new Error(`Probe id "${source.id}" must be lowercase letters and digits, words joined by "-".`);
  if (!ID.test(source.control.id))
    throw new Error(`Control id "${source.control.id}" of probe ${source.id} must be lowercase letters and digits, words joined by "-".`);
  if (!LOG_PREFIX.test(source.logPrefix))
    throw new Error(`Log prefix "${source.logPrefix}" of probe ${source.id} must be uppercase letters and digits, words joined by "_".`);
  const {
    logPrefix: _logPrefix,
    settingsOf: _settingsOf,
    open: _open,
    decode: _decode,
    idOf: _idOf,
    describe: _describe,
    attributes: _attributes,
    identifiersOfInvalid: _identifiersOfInvalid,
    ...probe
  } = source;
  return {
    ...probe,
    run: (input, env) => () => {
      const misfits = source.checkInput?.(input.credential, input.options) ?? [];
      if (misfits.length > 0) return Promise.resolve(left(inputError(misfits, "options")));
      return runSync(source, input, env);
    },
  };
};
