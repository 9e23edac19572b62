/**
 * Test harness for the CrowdStrike probe: a simulated Falcon customer on loopback (one HTTPS
 * origin per cloud), an environment that trusts its CA with loggers and a task log the test
 * can read, and the probe's run and verify with decoded input.
 */
import type { Either } from "fp-ts/lib/Either.js";
import { generateTenant, startSimulatedFalcon, type SimulatedFalcon, type SimulatedFalconOptions } from "../../src/simulator/index.js";
import type { ScannedAsset } from "../../src/engine/assets.js";
import type { EnvironmentSettings } from "../../src/runtime/environment.js";
import { capturingEnvironment } from "./harness.js";
import type { ProbeEnv, ProbeError, ProbeResult, TaskLogEvent, VerifyReport } from "../../src/contract.js";
import { crowdstrike, type CrowdStrikeOptions, type FalconApiClient } from "../../src/probes/crowdstrike/index.js";
import { FalconApiClientCodec } from "../../src/probes/crowdstrike/credential.js";

/** Everything a test needs to run the probe against a simulated Falcon customer. */
export interface FalconHarness {
  readonly falcon: SimulatedFalcon;
  readonly env: ProbeEnv;
  readonly logs: string[];
  readonly events: TaskLogEvent[];
  /** The simulator's credential (`falcon.credential(which)`), decoded. */
  credential(which?: Parameters<SimulatedFalcon["credential"]>[0], overrides?: Record<string, unknown>): FalconApiClient;
  options(extra?: Record<string, unknown>): CrowdStrikeOptions;
  run(settings?: {
    credential?: FalconApiClient;
    options?: Record<string, unknown>;
    assets?: readonly ScannedAsset[];
    signal?: AbortSignal;
  }): Promise<Either<ProbeError, ProbeResult>>;
  verify(settings?: { credential?: FalconApiClient; options?: Record<string, unknown> }): Promise<Either<ProbeError, VerifyReport>>;
  close(): Promise<void>;
}

/** Starts a simulated Falcon customer and an environment with fast back-off (so fault tests stay quick). */
export const startFalconHarness = async (simulator: SimulatedFalconOptions = {}, settings: EnvironmentSettings = {}): Promise<FalconHarness> => {
  const falcon = await startSimulatedFalcon(simulator);
  const { env, logs, events } = capturingEnvironment(falcon.caPem, { proxy: () => undefined, ...settings });
  const credential: FalconHarness["credential"] = (which, overrides = {}) => {
    const decoded = FalconApiClientCodec.decode({ ...falcon.credential(which), ...overrides });
    if (decoded._tag === "Left") throw new Error("the simulated customer's credential does not decode");
    return decoded.right;
  };
  const options: FalconHarness["options"] = (extra = {}) => {
    const decoded = crowdstrike.options.decode(extra);
    if (decoded._tag === "Left") throw new Error(`options do not decode: ${JSON.stringify(extra)}`);
    return decoded.right;
  };
  return {
    falcon,
    env,
    logs,
    events,
    credential,
    options,
    run: ({ credential: given, options: extra = {}, assets = [], signal } = {}) =>
      crowdstrike.run({ mode: "probe", credential: given ?? credential(), options: options(extra), assets, signal }, env)(),
    verify: ({ credential: given, options: extra = {} } = {}) => {
      const verify = crowdstrike.verify;
      if (verify === undefined) throw new Error("the probe has no verify");
      return verify({ credential: given ?? credential(), options: options(extra) }, env)();
    },
    close: () => falcon.close(),
  };
};

/** A harness whose hosts sit on the scanned network of a generated Microsoft tenant, and that scan's assets. */
export const startFalconHarnessWithAssets = async (
  seed: number,
  devices: number,
  simulator: SimulatedFalconOptions = {},
  settings: EnvironmentSettings = {},
): Promise<{ readonly h: FalconHarness; readonly assets: ScannedAsset[] }> => {
  const tenant = generateTenant({ seed, devices, assets: true });
  const h = await startFalconHarness({ seed, tenant, ...simulator }, settings);
  return { h, assets: tenant.assets as ScannedAsset[] };
};
