/**
 * Reads the CLI's input files and decodes them at the boundary. Every failure is an
 * {@link InputError} naming the file, the field (or line) and the fix; nothing here
 * touches the network.
 */
import { readFileSync } from "node:fs";
import type { Either } from "fp-ts/lib/Either.js";
import { left, right } from "fp-ts/lib/Either.js";
import { CredentialCodec, credentialFromEnvironment, type Credential } from "../credentials.js";
import { ScannedAssetsCodec, type ScannedAsset } from "../assets.js";
import { decodeInput, issuesOf } from "../decode.js";
import { inputError, type InputError } from "../errors.js";
import type { AnyProbe } from "../contract.js";

/** Reads a whole text file; a failure names the flag and the file (`no such file`, `EACCES`). */
export const readText = (path: string, what: string): Either<InputError, string> => {
  try {
    return right(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    return left(inputError([{ field: what, problem: `cannot read ${path} (${code === "ENOENT" ? "no such file" : code})` }], what));
  }
};

const parseJson = (text: string, what: string, path: string): Either<InputError, unknown> => {
  try {
    return right(JSON.parse(text) as unknown);
  } catch (error) {
    const where = /position (\d+)/.exec(String((error as Error).message))?.[1];
    return left(inputError([{ field: what, problem: `${path} is not valid JSON${where ? ` (near character ${where})` : ""}` }], what));
  }
};

/** `--credential env:`: the credential comes from AZURE_* variables (`credentialFromEnvironment`). */
export const ENV_CREDENTIAL = "env:";

/** Reads and decodes a credential file, or the AZURE_* variables for `env:`. The error never echoes a value. */
export const loadCredential = (path: string, env: Readonly<Record<string, string | undefined>> = process.env): Either<InputError, Credential> => {
  if (path === ENV_CREDENTIAL) {
    const decoded = credentialFromEnvironment(env);
    return decoded._tag === "Right" ? right(decoded.right) : left(inputError(issuesOf(decoded.left), "credential (environment)"));
  }
  const text = readText(path, "--credential");
  if (text._tag === "Left") return text;
  const json = parseJson(text.right, "--credential", path);
  if (json._tag === "Left") return json;
  return decodeInput(CredentialCodec, json.right, `credential (${path})`);
};

/** Reads `--options`: inline JSON (starting with `{`) or a file; decodes with the probe's codec. */
export const loadOptions = (probe: AnyProbe, value: string | undefined): Either<InputError, unknown> => {
  if (value === undefined) return decodeInput(probe.options, {}, "options");
  const inline = value.trimStart().startsWith("{");
  const text = inline ? right(value) : readText(value, "--options");
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
  const text = readText(path, "--assets");
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
