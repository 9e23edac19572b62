/** Progress on stderr when it is a terminal: one line rewritten in place; silent when piped. */
import type { TaskLogEvent, TaskLogSink } from "../contract.js";

/**
 * A task-log sink for the CLI: progress line on a TTY; warnings and errors always (one line
 * each). `labelOf` names the run an event came from (`[defender365/tenant-a] `), for a task
 * whose runs share the terminal; without it, lines carry no label. `redact` cleans each line
 * before it is written (a task's secrets); default: as is.
 */
export const cliTaskLog = (
  stream: NodeJS.WriteStream = process.stderr,
  labelOf: (event: TaskLogEvent) => string | undefined = () => undefined,
  redact: (text: string) => string = (text) => text,
): TaskLogSink => {
  const tty = stream.isTTY === true;
  let progressShown = false;
  return (event: TaskLogEvent) => {
    const label = labelOf(event);
    const prefix = label === undefined ? "" : `[${label}] `;
    if (event.code.endsWith("_PAGE") && event.level === "info" && event.data !== undefined) {
      if (!tty) return;
      const devices = event.data["devices"] ?? 0;
      const seconds = (event.data["elapsedMs"] ?? 0) / 1000;
      const rate = seconds > 0 ? Math.round(devices / seconds) : 0;
      stream.write(redact(`\r  ${prefix}page ${event.data["pages"] ?? "?"}  ${devices} devices  ${rate}/s   `));
      progressShown = true;
      return;
    }
    if (progressShown) {
      stream.write("\n");
      progressShown = false;
    }
    if (event.level === "error") return; // the command prints the final error once, with its hint
    if (event.level === "info" && !tty) return;
    const level = event.level === "info" ? "" : `${event.level}: `;
    stream.write(redact(`${prefix}${level}${event.message}\n`));
  };
};
