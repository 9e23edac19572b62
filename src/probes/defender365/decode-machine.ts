/**
 * Decodes one device of a page: a type-guard fast path (`isMachine`, the codec's `is`
 * written out), and the full io-ts decode (for its error paths) only when the guard fails.
 * A broken device becomes a warning naming where it broke; never a failed run.
 */
import { issuesOf } from "../../util/decode.js";
import { MachineCodec, type Machine } from "./machine.js";
import { isMachine } from "./machine-guard.js";
import { idOf } from "../../sync/page-items.js";
import type { DecodedItem } from "../../sync/source.js";

/** Decodes item `index` of page `pageNumber`. The warning names fields, never values. */
export const decodeMachine = (item: unknown, pageNumber: number, index: number): DecodedItem<Machine> => {
  if (isMachine(item)) return { item };
  const result = MachineCodec.decode(item);
  if (result._tag === "Right") return { item: result.right };
  const id = idOf(item) ?? null;
  const issues = issuesOf(result.left, 5);
  return {
    warning: {
      code: "DEFENDER_INVALID_DEVICE",
      message: `Skipped device ${id ?? "(no id)"}: ${issues.map((i) => `${i.field} ${i.problem}`).join("; ")}.`,
      path: `page ${pageNumber} › value[${index}]${issues[0] ? `.${issues[0].field}` : ""}`,
    },
  };
};
