/**
 * The explicit list of probes. Adding a probe is one line in {@link defaultRegistry}; the
 * contract test suite runs over every probe registered here.
 */
import type { AnyProbe, CredentialKindSpec } from "../contract.js";
import { defender365 } from "../probes/defender365/index.js";
import { crowdstrike } from "../probes/crowdstrike/index.js";

/** A set of probes by id. */
export interface Registry {
  /** The probe with this id, or undefined. */
  get(id: string): AnyProbe | undefined;
  /** Every probe, in registration order. */
  list(): readonly AnyProbe[];
  /**
   * Every credential kind some probe accepts, once each, in registration order: what the
   * CLI's `--credential` decodes a file's `kind` with when no probe is named yet.
   */
  credentialKinds(): readonly CredentialKindSpec[];
}

/**
 * Builds a registry. Throws at start-up (a programming error) when two probes share an id,
 * or declare one credential kind with two different codecs (a credential must mean one
 * thing to every probe that takes it: share the spec's codec value).
 */
export const createRegistry = (probes: readonly AnyProbe[]): Registry => {
  const byId = new Map<string, AnyProbe>();
  const kinds = new Map<string, CredentialKindSpec>();
  for (const probe of probes) {
    if (byId.has(probe.id)) throw new Error(`Two probes share the id "${probe.id}"; ids must be unique.`);
    byId.set(probe.id, probe);
    for (const spec of probe.credentialKinds) {
      const known = kinds.get(spec.kind);
      if (known !== undefined && known.codec !== spec.codec)
        throw new Error(`Probe "${probe.id}" declares credential kind "${spec.kind}" with a codec of its own; probes sharing a kind must share its codec.`);
      if (known === undefined) kinds.set(spec.kind, spec);
    }
  }
  return { get: (id) => byId.get(id), list: () => [...byId.values()], credentialKinds: () => [...kinds.values()] };
};

/** Every probe this package ships. */
export const defaultRegistry: Registry = createRegistry([defender365, crowdstrike]);
