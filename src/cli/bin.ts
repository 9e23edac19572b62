#!/usr/bin/env node
/** The `scan-probe` executable: runs {@link main} and exits with its code. */
import { main } from "./main.js";
import { EXIT } from "./commands.js";
import { endQuietlyOnClosedPipe } from "./output.js";

// A closed pipe is the reader's choice, not a failure; another write error on stdout or stderr still fails the command.
let outputFailed = false;
for (const stream of [process.stdout, process.stderr]) endQuietlyOnClosedPipe(stream, () => (outputFailed = true));
const code = await main(process.argv.slice(2));
process.exitCode = outputFailed && code === EXIT.complete ? EXIT.failed : code;
