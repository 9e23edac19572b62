#!/usr/bin/env node
/** The `scan-probe` executable: runs {@link main} and exits with its code. */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
