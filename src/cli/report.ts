/**
 * `scan-probe report`: reads a run's records (JSON lines) and summary, and optionally the
 * scanned assets, and writes the coverage report as one HTML file. Bad input is an
 * {@link InputError} naming the file and the line or field; nothing is written then.
 */
import { createReadStream, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Transform } from "node:stream";
import { basename } from "node:path";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { decodeInput } from "../util/decode.js";
import { inputError, type InputError } from "../engine/errors.js";
import {
  CombinedSummaryCodec,
  ReportRecordCodec,
  ReportSummaryCodec,
  slimRecord,
  type CombinedSummary,
  type ReportRecord,
  type ReportSummary,
} from "../report/codecs.js";
import { buildReportModel, labelsFor } from "../report/model.js";
import type { Registry } from "../engine/registry.js";
import { renderReport } from "../report/render.js";
import { EXIT, printError, type Terminal } from "./commands.js";
import { checkWritable, errorCode, INPUT_LIMITS, loadAssets, parseJson, readText } from "./inputs.js";
import { buildCombinedModel, recordsOf } from "../report/combined.js";
import { renderCombinedReport } from "../report/render-combined.js";

/** The byte order mark, as the first character of a file read as UTF-8 text. */
const BYTE_ORDER_MARK = 0xfeff;

/** Arguments of `report`. */
export interface ReportArgs {
  /** Records file (JSON lines), as `run --out` writes it. */
  readonly records: string;
  /** Summary file, as `run --summary` writes it. */
  readonly summary: string;
  /** The scanned assets (JSON array or lines), as `run --assets` reads them; optional. */
  readonly assets?: string | undefined;
  /** Where the page goes; `-` for stdout. */
  readonly out: string;
}

/** The longest line `loadRecords` reads: a record is a few KiB; a line past this is not one (`/dev/zero`, a binary file). */
export const MAX_RECORD_LINE_BYTES = 64 * 1024 * 1024;

/** Raised by {@link lineCap}: a line longer than {@link MAX_RECORD_LINE_BYTES}. */
class LineTooLong extends Error {}

/**
 * Passes bytes on until a line runs past `max` bytes, then fails with {@link LineTooLong}:
 * readline would otherwise gather the line until the string outgrows what Node can hold, and
 * throw where nothing catches it. Chunks are far shorter than `max`, so only the run of bytes
 * since the last line break can reach it.
 */
const lineCap = (max: number): Transform => {
  let run = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const first = chunk.indexOf(0x0a);
      if (first < 0) run += chunk.length;
      else if (run + first > max) run = max + 1;
      else run = chunk.length - chunk.lastIndexOf(0x0a) - 1;
      done(run > max ? new LineTooLong() : null, run > max ? undefined : chunk);
    },
  });
};

/**
 * Reads records as JSON lines, streaming (a large tenant's file may exceed the longest
 * string Node can hold); each line is decoded, and a bad one is named by its number.
 */
export const loadRecords = async (path: string): Promise<Either<InputError, ReportRecord[]>> => {
  const records: ReportRecord[] = [];
  const file = createReadStream(path);
  const capped = lineCap(MAX_RECORD_LINE_BYTES);
  file.on("error", (error) => capped.destroy(error));
  const lines = createInterface({ input: file.pipe(capped), crlfDelay: Infinity });
  let number = 0;
  let first = true;
  try {
    for await (const read of lines) {
      number += 1;
      const line = number === 1 && read.charCodeAt(0) === BYTE_ORDER_MARK ? read.slice(1) : read; // as an editor may save it
      if (line.trim() === "") continue;
      if (first && line.trimStart().startsWith("[")) {
        return left(
          inputError(
            [{ field: "--records", problem: `${path} starts with "[": expected JSON lines, one record per line (as "scan-probe run --out" writes them)` }],
            "records",
          ),
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(line) as unknown;
      } catch {
        return left(inputError([{ field: "--records", problem: `${path} line ${number} is not valid JSON (expected one record per line)` }], "records"));
      }
      const record = decodeInput(ReportRecordCodec, json, `record in ${path} line ${number}`);
      if (record._tag === "Left") return record;
      records.push(slimRecord(record.right));
      first = false;
    }
  } catch (error) {
    if (error instanceof LineTooLong)
      return left(
        inputError(
          [
            {
              field: "--records",
              problem: `${path} line ${number + 1} is over ${MAX_RECORD_LINE_BYTES / 1024 / 1024} MiB: expected JSON lines, one record per line`,
            },
          ],
          "records",
        ),
      );
    const code = errorCode(error, "unreadable");
    return left(inputError([{ field: "--records", problem: `cannot read ${path} (${code === "ENOENT" ? "no such file" : code})` }], "--records"));
  } finally {
    lines.close();
    file.destroy();
  }
  return right(records);
};

/** A summary as `report` reads it: one run's, or a scan task's combined summary. */
export type LoadedSummary = { readonly _tag: "Run"; readonly summary: ReportSummary } | { readonly _tag: "Combined"; readonly summary: CombinedSummary };

/** True when `json` has the shape of a combined summary (`runs`, no `probe`): then it is decoded as one, strictly. */
const isCombined = (json: unknown): boolean =>
  typeof json === "object" && json !== null && !Array.isArray(json) && Object.hasOwn(json, "runs") && !Object.hasOwn(json, "probe");

/** Reads and decodes the summary: a run's, or (by its shape: `runs` and no `probe`) a scan task's combined summary. */
export const loadAnySummary = (path: string): Either<InputError, LoadedSummary> => {
  const text = readText(path, "--summary", INPUT_LIMITS.summary);
  if (text._tag === "Left") return text;
  const json = parseJson(text.right, "--summary", path);
  if (json._tag === "Left") return json;
  if (isCombined(json.right)) {
    const combined = decodeInput(CombinedSummaryCodec, json.right, `combined summary (${path})`);
    return combined._tag === "Left" ? combined : right({ _tag: "Combined", summary: combined.right });
  }
  const run = decodeInput(ReportSummaryCodec, json.right, `summary (${path})`);
  return run._tag === "Left" ? run : right({ _tag: "Run", summary: run.right });
};

/** Reads and decodes the run summary. */
export const loadSummary = (path: string): Either<InputError, ReportSummary> => {
  const text = readText(path, "--summary", INPUT_LIMITS.summary);
  if (text._tag === "Left") return text;
  let json: unknown;
  try {
    json = JSON.parse(text.right) as unknown;
  } catch (error) {
    const where = /position (\d+)/.exec(String((error as Error).message))?.[1];
    return left(inputError([{ field: "--summary", problem: `${path} is not valid JSON${where ? ` (near character ${where})` : ""}` }], "summary"));
  }
  return decodeInput(ReportSummaryCodec, json, `summary (${path})`);
};

/**
 * Writes the page to stdout and waits for it. A reader that stops early (`| head`) is not
 * an error (EPIPE); any other write error is reported and exits 1.
 */
const writeToStdout = (term: Terminal, page: string): Promise<number> =>
  new Promise((resolve) => {
    let settled = false;
    const settle = (error?: Error | null) => {
      if (settled) return;
      settled = true;
      const code = (error as { code?: string } | null | undefined)?.code;
      if (error && code !== "EPIPE") term.err.write(`error: cannot write the report to stdout (${code ?? error.message})\n`);
      resolve(error && code !== "EPIPE" ? EXIT.failed : EXIT.complete);
    };
    // A failed write also emits "error" on the stream; this listener takes it (once), so it never goes unhandled.
    const onError = (error: Error) => settle(error);
    term.out.once("error", onError);
    term.out.write(page, (error) => {
      if (!error) term.out.off("error", onError);
      settle(error);
    });
  });

/** The fix for any input error of `report`. */
const HINT =
  "Give the files of one run or one scan task: --records (what `scan-probe run --out` wrote, JSON lines), --summary (`run --summary`, or `run --task --summary`) and, optionally, --assets (the assets the run read).";

const badInput = (term: Terminal, error: InputError): number => {
  printError(term, { ...error, hint: HINT });
  return EXIT.badInput;
};

/**
 * `scan-probe report`: exit 0 written, 1 the page could not be written, 2 bad input (nothing
 * written). The page is titled and labelled by the summary's probe as `registry` knows it
 * (its title, short title and control), or by the ids the summary carries when it does not.
 */
export const reportCommand = async (args: ReportArgs, registry: Registry, term: Terminal, now: () => Date = () => new Date()): Promise<number> => {
  const unwritable = args.out === "-" ? undefined : checkWritable(args.out, "--out");
  if (unwritable !== undefined) return (printError(term, unwritable), EXIT.badInput); // before reading a large run's files
  const summary = loadAnySummary(args.summary);
  if (summary._tag === "Left") return badInput(term, summary.left);
  const records = await loadRecords(args.records);
  if (records._tag === "Left") return badInput(term, records.left);
  const assets = args.assets === undefined ? undefined : loadAssets(args.assets);
  if (assets?._tag === "Left") return badInput(term, assets.left);

  const common = {
    records: records.right,
    assets: assets?.right,
    generatedAt: now().toISOString(),
    sources: { records: basename(args.records), summary: basename(args.summary), assets: args.assets === undefined ? null : basename(args.assets) },
  };
  const loaded = summary.right;
  let page: string;
  let totals: { total: number; protected: number; unhealthy: number; missing: number; unknown: number };
  if (loaded._tag === "Combined") {
    const model = buildCombinedModel({ ...common, summary: loaded.summary, labelsOf: (run) => labelsFor(run, registry.get(run.probe)) });
    page = renderCombinedReport(model);
    totals = model.totals;
  } else {
    // A run's own records: the file may hold a task's records of several runs.
    const records = recordsOf(common.records, loaded.summary);
    const model = buildReportModel({ ...common, records, summary: loaded.summary, labels: labelsFor(loaded.summary, registry.get(loaded.summary.probe)) });
    page = renderReport(model);
    totals = model.totals;
  }
  if (args.out === "-") return await writeToStdout(term, page);
  try {
    writeFileSync(args.out, page);
  } catch (error) {
    const code = errorCode(error, "unwritable");
    term.err.write(`error: cannot write ${args.out} (${code === "ENOENT" ? "no such directory" : code})\n`);
    return EXIT.failed;
  }
  if (term.err.isTTY) {
    const t = totals;
    term.err.write(
      `Report written to ${args.out}: ${t.total} assets, ${t.protected} protected, ${t.unhealthy} unhealthy, ${t.missing} missing${t.unknown > 0 ? `, ${t.unknown} unknown (incomplete run)` : ""}.\n`,
    );
  }
  return EXIT.complete;
};
