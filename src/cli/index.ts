/**
 * `scan-probes/cli`: the `scan-probe` command as a function, for an engine that ships the
 * command with its own probes: `process.exitCode = await main(process.argv.slice(2), { registry })`.
 * A subpath of its own, so that importing the library does not load the command (and the
 * simulated tenant its `demo` starts).
 */
export { main, type CliOptions } from "./main.js";
export { EXIT, type Terminal } from "./commands.js";
