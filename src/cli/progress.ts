/** Progress on stderr when it is a terminal: one line rewritten in place; silent when piped. */
import type { TaskLogEvent, TaskLogSink } from "../contract.js";

/** A task-log sink for the CLI: progress line on a TTY; warnings and errors always (one line each). */
export const cliTaskLog = (stream: NodeJS.WriteStream = process.stderr): TaskLogSink => {
  const tty = stream.isTTY === true;
  let progressShown = false;
  return (event: TaskLogEvent) => {
    if (event.code === "DEFENDER_PAGE") {
      if (!tty) return;
      const devices = event.data?.["devices"] ?? 0;
      const seconds = (event.data?.["elapsedMs"] ?? 0) / 1000;
      const rate = seconds > 0 ? Math.round(devices / seconds) : 0;
      stream.write(`\r  page ${event.data?.["pages"] ?? "?"}  ${devices} devices  ${rate}/s   `);
      progressShown = true;
      return;
    }
    if (progressShown) {
      stream.write("\n");
      progressShown = false;
    }
    if (event.level === "error") return; // the command prints the final error once, with its hint
    if (event.level === "info" && !tty) return;
    const label = event.level === "info" ? "" : `${event.level}: `;
    stream.write(`${label}${event.message}\n`);
  };
};
