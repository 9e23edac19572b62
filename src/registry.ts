/**
 * The explicit list of probes. Adding a probe is one line in {@link defaultRegistry}; the
 * contract test suite runs over every probe registered here.
 */
import type { AnyProbe } from "./contract.js";
import { defender365 } from "./probes/defender365/index.js";

/** A set of probes by id. */
export interface Registry {
  /** The probe with this id, or undefined. */
  get(id: string): AnyProbe | undefined;
  /** Every probe, in registration order. */
  list(): readonly AnyProbe[];
}

/** Builds a registry; throws at start-up (a programming error) when two probes share an id. */
export const createRegistry = (probes: readonly AnyProbe[]): Registry => {
  const byId = new Map<string, AnyProbe>();
  for (const probe of probes) {
    if (byId.has(probe.id)) throw new Error(`Two probes share the id "${probe.id}"; ids must be unique.`);
    byId.set(probe.id, probe);
  }
  return { get: (id) => byId.get(id), list: () => [...byId.values()] };
};

/** Every probe this package ships. */
export const defaultRegistry: Registry = createRegistry([defender365]);
