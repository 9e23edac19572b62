/**
 * Reads the CLI's input files and decodes them at the boundary. Every failure is an
 * {@link InputError} naming the file, the field (or line) and the fix; nothing here
 * touches the network.
 */
import { accessSync, closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { credentialCodecOf } from "../engine/credential-kinds.js";
import { ScannedAssetsCodec, type ScannedAsset } from "../engine/assets.js";
import { decodeInput, issuesOf } from "../util/decode.js";
import { inputError, type InputError } from "../engine/errors.js";
import type { AnyProbe, CredentialKindSpec } from "../contract.js";
import { defaultRegistry } from "../engine/registry.js";

const MiB = 1024 * 1024;

/**
 * The most bytes the CLI reads from each input file. A credential, options or task file is a few
 * kilobytes; a cap stops a wrong path (`/dev/zero`, a disk image) from filling the memory.
 * The assets and a summary grow with the scan: 500 MiB holds a few million assets and stays
 * under the longest string Node can hold (just under 512 MiB).
 */
export const INPUT_LIMITS = { credential: MiB, options: MiB, task: MiB, assets: 500 * MiB, summary: 500 * MiB } as const;

/** The system error code of a failed file operation (`ENOENT`, `EACCES`), or `fallback` for an error without one. */
export const errorCode = (error: unknown, fallback: string): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : fallback;
};

/** The cap in words: `1 MiB`. */
const inWords = (bytes: number): string => `${bytes / MiB} MiB`;

/** The UTF-8 byte order mark some editors put at the start of a file. */
const BOM = [0xef, 0xbb, 0xbf] as const;

/** Bytes read at a time from a file whose size is not known beforehand (a pipe, a device). */
const READ_STEP = 64 * 1024;

/**
 * Reads at most `maxBytes` bytes from the open file `fd`, one more to tell a larger file:
 * a regular file larger than the cap is refused from its size before any read, and a file
 * that has no size (a pipe, `/dev/zero`) stops at the cap rather than growing without end.
 * Returns the bytes read, or null when there are more than `maxBytes`.
 */
const readAtMost = (fd: number, maxBytes: number): Buffer | null => {
  const stat = fstatSync(fd);
  if (stat.isFile() && stat.size > maxBytes) return null;
  let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.isFile() ? stat.size + 1 : READ_STEP));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      if (filled > maxBytes) return null;
      const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
    }
    const read = readSync(fd, buffer, filled, buffer.length - filled, null);
    if (read === 0) return buffer.subarray(0, filled);
    filled += read;
  }
};

/**
 * Reads a whole text file of at most `maxBytes` bytes (UTF-8, a byte order mark at its start
 * dropped); a failure names the flag and the file (`no such file`, `is a directory`, `EACCES`,
 * larger than the cap).
 *
 * Read synchronously, and by the CLI before it installs its signal handlers: a path that is a
 * pipe with no writer (a FIFO, `<(command)` not yet written) waits here as `cat` would, and
 * Ctrl-C or SIGTERM still ends the process at once, nothing having been sent or written.
 */
export const readText = (path: string, what: string, maxBytes: number): Either<InputError, string> => {
  const cannot = (problem: string) => left(inputError([{ field: what, problem }], what));
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    const code = errorCode(error, "unreadable");
    return cannot(`cannot read ${path} (${code === "ENOENT" ? "no such file" : code})`);
  }
  try {
    if (fstatSync(fd).isDirectory()) return cannot(`${path} is a directory; give the file`);
    const bytes = readAtMost(fd, maxBytes);
    if (bytes === null) return cannot(`${path} is larger than ${inWords(maxBytes)}, the most ${what} takes: is it the right file?`);
    const bom = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
    return right(bytes.toString("utf8", bom ? BOM.length : 0));
  } catch (error) {
    return cannot(`cannot read ${path} (${errorCode(error, "unreadable")})`);
  } finally {
    closeSync(fd);
  }
};

/**
 * Checks, without creating or truncating anything, that the run will be able to write `path`
 * (given as `flag`): an existing file must be writable and not a directory; a new one needs
 * a writable directory. Called before any network call, so that a typo in `--out` or
 * `--summary` is found before the sync rather than after it. Undefined when it can be written.
 */
export const checkWritable = (path: string, flag: string): InputError | undefined => {
  const cannot = (problem: string) => inputError([{ field: flag, problem }], flag);
  const file = resolve(path);
  const reason = (error: unknown) => {
    const code = errorCode(error, "unwritable");
    return code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : code;
  };
  try {
    if (statSync(file).isDirectory()) return cannot(`${path} is a directory; give a file name`);
    accessSync(file, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = errorCode(error, "");
    if (code !== "ENOENT" && code !== "ENOTDIR") return cannot(`cannot write ${path} (${reason(error)})`);
  }
  const dir = dirname(file);
  try {
    if (!statSync(dir).isDirectory()) return cannot(`cannot write ${path} (${dir} is not a directory)`);
    accessSync(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = errorCode(error, "");
    return cannot(code === "ENOENT" || code === "ENOTDIR" ? `cannot write ${path} (no such directory: ${dir})` : `cannot create ${path} (${reason(error)})`);
  }
};

/** The file `path` names, through symbolic links (a file not yet made: its folder's, through links, and its name). */
const fileIdentity = (path: string): string => {
  const file = resolve(path);
  try {
    return realpathSync(file);
  } catch {
    try {
      return join(realpathSync(dirname(file)), basename(file));
    } catch {
      return file;
    }
  }
};

/** True when `path` is a device, pipe or socket (e.g. /dev/null), which several flags may share. */
const isSpecial = (path: string): boolean => {
  try {
    const stat = statSync(path);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
};

/**
 * Checks that no two of `outputs` name the same file, and that none names one of `inputs`
 * (flag and path each): writing would overwrite the records with the summary, or an input
 * with output. Devices and pipes (/dev/null) are not files and may be shared. Undefined when
 * each output has a file of its own.
 */
export const checkDistinct = (
  outputs: readonly (readonly [string, string | undefined])[],
  inputs: readonly (readonly [string, string | undefined])[],
): InputError | undefined => {
  const taken = new Map<string, string>();
  for (const [flag, path] of inputs) if (path !== undefined && !isSpecial(path)) taken.set(fileIdentity(path), flag);
  for (const [flag, path] of outputs) {
    if (path === undefined || isSpecial(path)) continue;
    const identity = fileIdentity(path);
    const other = taken.get(identity);
    if (other !== undefined) return inputError([{ field: flag, problem: `${path} is the file ${other} names; give ${flag} a file of its own` }], flag);
    taken.set(identity, flag);
  }
  return undefined;
};

/** Parses `text` (read from `path`, given as `what`) as JSON; a failure names the file and where, never the text. */
export const parseJson = (text: string, what: string, path: string): Either<InputError, unknown> => {
  try {
    return right(JSON.parse(text) as unknown);
  } catch (error) {
    const where = /position (\d+)/.exec(String((error as Error).message))?.[1];
    return left(inputError([{ field: what, problem: `${path} is not valid JSON${where ? ` (near character ${where})` : ""}` }], what));
  }
};

/** `--credential env:`: the credential comes from environment variables (each kind's `fromEnvironment`). */
export const ENV_CREDENTIAL = "env:";

/**
 * The credential the variables build for `env:`: the first of the kinds' readers (each read
 * once, in the kinds' order) that finds its variables set, else the first reader's problems.
 */
const credentialFromVariables = (
  env: Readonly<Record<string, string | undefined>>,
  kinds: readonly CredentialKindSpec[],
  codec: t.Decoder<unknown, unknown>,
): Either<InputError, unknown> => {
  const what = "credential (environment)";
  const readers = [...new Set(kinds.flatMap((spec) => (spec.fromEnvironment === undefined ? [] : [spec.fromEnvironment])))];
  if (readers.length === 0)
    return left(
      inputError(
        [
          {
            field: "--credential",
            problem: `no credential kind here is read from environment variables (${kinds.map((k) => k.kind).join(", ") || "none"}): give a credential file`,
          },
        ],
        what,
      ),
    );
  const attempts = readers.map((read) => read(env));
  const found = attempts.find((attempt) => attempt._tag === "Right");
  if (found !== undefined && found._tag === "Right") return decodeInput(codec, found.right, what);
  const first = attempts[0];
  return left(inputError(first !== undefined && first._tag === "Left" ? issuesOf(first.left) : [], what));
};

/**
 * Reads and decodes a credential file, or the variables for `env:`, with the codec of its
 * `kind` among `kinds` (by default every kind a registered probe accepts); an unknown kind
 * is refused naming them. The error never echoes a value.
 */
export function loadCredential(path: string, env?: Readonly<Record<string, string | undefined>>): Either<InputError, unknown>;
export function loadCredential<C>(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  kinds: readonly CredentialKindSpec<C>[],
): Either<InputError, C>;
export function loadCredential(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  kinds: readonly CredentialKindSpec[] = defaultRegistry.credentialKinds(),
): Either<InputError, unknown> {
  const codec = credentialCodecOf(kinds);
  if (path === ENV_CREDENTIAL) return credentialFromVariables(env, kinds, codec);
  const text = readText(path, "--credential", INPUT_LIMITS.credential);
  if (text._tag === "Left") return text;
  const json = parseJson(text.right, "--credential", path);
  if (json._tag === "Left") return json;
  return decodeInput(codec, json.right, `credential (${path})`);
}

/** Reads `--options`: inline JSON (starting with `{`) or a file; decodes with the probe's codec. */
export const loadOptions = (probe: AnyProbe, value: string | undefined): Either<InputError, unknown> => {
  if (value === undefined) return decodeInput(probe.options, {}, "options");
  const inline = value.trimStart().startsWith("{");
  const text = inline ? right(value) : readText(value, "--options", INPUT_LIMITS.options);
  if (text._tag === "Left") return text;
  const json = parseJson(text.right, "--options", inline ? "the inline JSON" : value);
  if (json._tag === "Left") return json;
  return decodeInput(probe.options, json.right, "options");
};

/** Parses a JSON array, or JSON lines (one asset per line; blank lines ignored). */
const parseAssetText = (text: string, path: string): Either<InputError, unknown> => {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return parseJson(text, "--assets", path);
  const items: unknown[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      items.push(JSON.parse(line) as unknown);
    } catch {
      return left(
        inputError(
          [{ field: "--assets", problem: `${path} line ${index + 1} is not valid JSON (expected a JSON array, or one JSON object per line)` }],
          "assets",
        ),
      );
    }
  }
  return right(items);
};

/** Reads and decodes scanned assets; ids must be unique. */
export const loadAssets = (path: string | undefined): Either<InputError, readonly ScannedAsset[]> => {
  if (path === undefined) return right([]);
  const text = readText(path, "--assets", INPUT_LIMITS.assets);
  if (text._tag === "Left") return text;
  const json = parseAssetText(text.right, path);
  if (json._tag === "Left") return json;
  const assets = decodeInput(ScannedAssetsCodec, json.right, `assets (${path})`);
  if (assets._tag === "Left") return assets;
  const seen = new Set<string>();
  for (const [index, asset] of assets.right.entries()) {
    if (seen.has(asset.id))
      return left(inputError([{ field: `${index}.id`, problem: `asset id "${asset.id}" appears twice; ids must be unique` }], `assets (${path})`));
    seen.add(asset.id);
  }
  return assets;
};
