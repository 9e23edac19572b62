/**
 * The `scan-probe` command with the consumer's registry: Defender and Acme.
 * `node dist/cli.js run acme --credential … --options … --assets … --out … --summary …`
 */
import { createRegistry, defender365 } from "scan-probes";
import { main } from "scan-probes/cli";
import { acme } from "./acme.js";

process.exitCode = await main(process.argv.slice(2), { registry: createRegistry([defender365, acme]) });
