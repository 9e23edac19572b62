/**
 * Test harness: a simulated tenant on loopback and an environment that trusts its CA,
 * with loggers and a task log the test can read.
 */
import { generateTenant, startSimulatedTenant, type SimulatedTenant, type SimulatorOptions } from "../../src/simulator/index.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import { createEnvironment, type EnvironmentSettings } from "../../src/runtime/environment.js";
import type { ProbeEnv, TaskLogEvent } from "../../src/contract.js";
import { CredentialCodec, type AzureManagedIdentity, type Credential } from "../../src/azure/credentials.js";

/** A credential that names its app (every kind but a system-assigned managed identity). */
export type AppCredential = Exclude<Credential, AzureManagedIdentity>;
import { defender365 } from "../../src/probes/defender365/index.js";
import type { Defender365Options } from "../../src/probes/defender365/options.js";

/** Everything a test needs to run the probe against a simulated tenant. */
export interface Harness {
  readonly tenant: SimulatedTenant;
  readonly env: ProbeEnv;
  readonly logs: string[];
  readonly events: TaskLogEvent[];
  credential(kind?: "azure-client-secret" | "azure-client-certificate", overrides?: Record<string, unknown>): AppCredential;
  options(extra?: Record<string, unknown>): Defender365Options;
  /** Devices the tenant lists now, and those not Inactive (what a default run reads: the API filters the rest). */
  listed(): { all: number; active: number };
}

/**
 * An environment trusting a simulator's CA (`caPem`), with fast back-off (so fault tests stay
 * quick), that keeps every debug line (`logs`) and task-log event (`events`); `settings` go over it.
 */
export const capturingEnvironment = (caPem: string, settings: EnvironmentSettings = {}): { env: ProbeEnv; logs: string[]; events: TaskLogEvent[] } => {
  const logs: string[] = [];
  const events: TaskLogEvent[] = [];
  const env = createEnvironment({
    extraCaPem: caPem,
    backoffLimitMs: 200,
    log:
      (namespace) =>
      (format, ...args) =>
        logs.push(`${namespace} ${format} ${args.map((a) => String(a)).join(" ")}`),
    taskLog: (event) => events.push(event),
    ...settings,
  });
  return { env, logs, events };
};

/** Starts a tenant and an environment with fast retries (so fault tests stay quick). */
export const startHarness = async (simulator: SimulatorOptions = {}, settings: EnvironmentSettings = {}): Promise<Harness> => {
  const tenant = await startSimulatedTenant(simulator);
  const { env, logs, events } = capturingEnvironment(tenant.caPem, settings);
  return {
    tenant,
    env,
    logs,
    events,
    credential: (kind = "azure-client-secret", overrides = {}) => {
      const decoded = CredentialCodec.decode({ ...tenant.credential(kind), ...overrides });
      if (decoded._tag === "Left" || decoded.right.kind === "azure-managed-identity") throw new Error("the simulated tenant's credential does not decode");
      return decoded.right;
    },
    listed: () => {
      const machines = tenant.machines();
      return { all: machines.length, active: machines.filter((m) => m["healthStatus"] !== "Inactive").length };
    },
    options: (extra = {}) => {
      const decoded = defender365.options.decode(extra); // the hosts come from the credential, which names the tenant's
      if (decoded._tag === "Left") throw new Error(`options do not decode: ${JSON.stringify(extra)}`);
      return decoded.right;
    },
  };
};

/** A harness over a generated tenant of `devices` devices, and the assets a scan of that tenant finds (the generator's, same seed). */
export const startHarnessWithAssets = async (
  seed: number,
  devices: number,
  settings: EnvironmentSettings = {},
): Promise<{ readonly h: Harness; readonly assets: ScannedAsset[] }> => {
  const h = await startHarness({ seed, devices }, settings);
  return { h, assets: generateTenant({ seed, devices, assets: true }).assets as ScannedAsset[] };
};
