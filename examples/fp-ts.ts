/**
 * Using the Probe contract directly with fp-ts: decode the credential and options with the
 * probe's own codecs, then `probe.run(input, env)` is a `TaskEither<ProbeError, ProbeResult>`
 * to compose and `match`. No exceptions: a failure is a tagged `ProbeError` with a stable
 * `code`, and `error.partial` holds what the run read before it failed.
 *
 * Runs twice against a simulated tenant on 127.0.0.1: with a wrong client secret (Left,
 * ERR_AUTH_INVALID_SECRET) and with the right one (Right).
 *
 *   node --import tsx examples/fp-ts.ts
 */
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type * as T from "fp-ts/lib/Task.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import {
  runCoverage,
  createEnvironment,
  CredentialCodec,
  defender365,
  type Defender365Options,
  type Credential as AzureCredential,
  type ProbeEnv,
  type ProbeError,
  type ProbeInput,
  type ProbeResult,
  type ScannedAsset,
} from "../src/index.js";
import { generateTenant, startSimulatedTenant } from "../src/simulator/index.js";

const SEED = 3;
const DEVICES = 120;

/** Decoding is an Either too: each codec names the bad field, before any network call. */
const decodeInput = (credentialJson: unknown, optionsJson: unknown) =>
  pipe(E.Do, E.apS("credential", CredentialCodec.decode(credentialJson)), E.apS("options", defender365.options.decode(optionsJson)));

/** One run, folded to a line of output and an exit code. */
const runOnce = (label: string, input: ProbeInput<Defender365Options, AzureCredential>, env: ProbeEnv): T.Task<number> =>
  pipe(
    defender365.run(input, env),
    TE.match(
      (error: ProbeError) => {
        const read = error.partial?.summary.counts.fetched ?? 0;
        console.log(`${label}: Left ${error._tag} ${error.code}: ${error.message} Hint: ${error.hint} (${read} devices read before it failed)`);
        return 1;
      },
      (result: ProbeResult) => {
        const { complete, counts } = result.summary;
        const c = runCoverage(result.summary);
        console.log(
          `${label}: Right complete=${complete}, ${counts.fetched} devices, ${result.records.length} records; ${c.protected} protected, ${c.unhealthy} unhealthy, ${c.missing} missing`,
        );
        return 0;
      },
    ),
  );

const main = async (): Promise<number> => {
  const tenant = await startSimulatedTenant({ seed: SEED, devices: DEVICES });
  try {
    const env = createEnvironment({ extraCaPem: tenant.caPem });
    const assets = generateTenant({ seed: SEED, devices: DEVICES, assets: true }).assets as ScannedAsset[];
    const options = { apiBaseUrl: tenant.apiBaseUrl, authorityHost: tenant.authorityHost, excludeUnknown: true };
    const good = tenant.credential("azure-client-secret");
    const inputs = [
      { label: "wrong secret", decoded: decodeInput({ ...good, clientSecret: "not-the-secret-value" }, options) },
      { label: "right secret", decoded: decodeInput(good, options) },
    ];
    const codes: number[] = [];
    for (const { label, decoded } of inputs) {
      if (E.isLeft(decoded)) {
        console.log(`${label}: input does not decode`);
        return 2;
      }
      codes.push(await runOnce(label, { mode: "probe", ...decoded.right, assets, scanSiteId: "site-1" }, env)());
    }
    const [wrongSecret, right] = codes;
    // The first run must fail and the second succeed.
    return wrongSecret === 1 && right === 0 ? 0 : 1;
  } finally {
    await tenant.close();
  }
};

process.exitCode = await main();
