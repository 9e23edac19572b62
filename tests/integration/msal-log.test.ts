/**
 * msal's own log lines (the logger callback): with the msal namespace enabled they are
 * verbose, and whatever msal logs, no secret, key, assertion or token reaches the log.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Logger as MsalLogger } from "@azure/msal-node";
import type { Logger } from "../../src/contract.js";
import { MSAL_LOG_NAMESPACE, msalLoggerOptions, msalTokenProviderFactory } from "../../src/runtime/auth/token-provider.js";
import { startHarness, type Harness } from "./harness.js";

/** A logger as `debug` is with `DEBUG=*`: every namespace enabled, every line kept. */
const capturingLogger =
  (lines: string[]): Logger =>
  (namespace) =>
    Object.assign((format: string, ...args: unknown[]) => void lines.push(`${namespace} ${format} ${args.map(String).join(" ")}`), { enabled: true });

const SECRET = "Qx8~msal-log-secret-0123456789";
const ASSERTION = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJmZWRlcmF0ZWQifQ.c2lnbmF0dXJlLWJ5dGVz";
const TOKEN = "opaque-access-token-value-42";

test("msal lines at every level, the verbose ones included, reach the log with every secret removed", () => {
  const lines: string[] = [];
  const logger = new MsalLogger(msalLoggerOptions(capturingLogger(lines), () => [SECRET, TOKEN]));
  logger.verbose(`sending client_secret=${SECRET}&client_assertion=${ASSERTION}`, "");
  logger.info(`token response ${TOKEN} (as a plain value)`, "");
  logger.warning(`assertion ${ASSERTION} refused`, "");
  logger.error(`the secret was ${SECRET}`, "");
  assert.equal(lines.length, 4, "verbose lines are logged when the namespace is enabled");
  assert.ok(lines.every((l) => l.startsWith(`${MSAL_LOG_NAMESPACE} `)));
  const text = lines.join("\n");
  for (const secret of [SECRET, ASSERTION, TOKEN]) assert.ok(!text.includes(secret), `msal log holds ${secret.slice(0, 8)}…:\n${text}`);
  assert.match(text, /<redacted/);
});

test("with the namespace off, msal logs only warnings and errors", () => {
  const lines: string[] = [];
  const quiet: Logger =
    () =>
    (format: string, ...args: unknown[]) =>
      void lines.push(`${format} ${args.map(String).join(" ")}`);
  const logger = new MsalLogger(msalLoggerOptions(quiet, () => []));
  logger.verbose("v", "");
  logger.info("i", "");
  logger.warning("w", "");
  assert.equal(lines.length, 1);
});

let h: Harness;
before(async () => {
  h = await startHarness({ devices: 5 });
});
after(() => h.tenant.close());

for (const kind of ["azure-client-secret", "azure-client-certificate"] as const) {
  test(`a real sign-in (${kind}) with every namespace enabled: msal's verbose lines carry no secret and no token`, async () => {
    const lines: string[] = [];
    const tokens = msalTokenProviderFactory(
      h.env.http,
      capturingLogger(lines),
    )({
      credential: h.credential(kind),
      authorityHost: h.tenant.authorityHost,
      scope: "https://api.securitycenter.microsoft.com/.default",
    });
    const token = await tokens.getToken()();
    assert.equal(token._tag, "Right");
    const msalLines = lines.filter((l) => l.startsWith(`${MSAL_LOG_NAMESPACE} `));
    assert.ok(msalLines.length > 5, `msal logged at verbose level (${msalLines.length} lines)`);
    const text = lines.join("\n");
    for (const secret of tokens.secrets()) assert.ok(!text.includes(secret), "a secret or token reached the log");
  });
}
