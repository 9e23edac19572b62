/**
 * `scan-probe` with a registry of Defender and the test-only Static EDR probe, for a child
 * process: `node --import tsx tests/cli/task-main.ts run --task …`. A child, so that
 * NODE_EXTRA_CA_CERTS (the simulated tenants' CAs) is read at its start, as a user's would be.
 */
import { main } from "../../src/cli/main.js";
import { createRegistry } from "../../src/engine/registry.js";
import { defender365 } from "../../src/probes/defender365/index.js";
import { staticEdr } from "./static-edr.js";

process.exitCode = await main(process.argv.slice(2), { registry: createRegistry([defender365, staticEdr]) });
