/**
 * Decoding one item of a page with an io-ts codec, as a source adapter's `decode` does,
 * without touching fp-ts: the item, or the warning that replaces it.
 */
import type * as t from "io-ts";
import { issuesOf } from "../util/decode.js";
import type { DecodedItem, ItemPlace } from "../sync/source.js";
import { idOf } from "../sync/page-items.js";

/**
 * Decodes `raw` (item `place.index` of page `place.page`) with `codec`. A failure becomes a
 * warning with `warningCode` (e.g. `ACME_INVALID_DEVICE`) naming the item's id and each
 * field that failed with what was expected there, never a value (a value is tenant data);
 * its path is `page N › [index].field`. Never throws.
 */
export const decodeWith = <A>(codec: t.Decoder<unknown, A>, raw: unknown, place: ItemPlace, warningCode: string): DecodedItem<A> => {
  const result = codec.decode(raw);
  if (result._tag === "Right") return { item: result.right };
  const issues = issuesOf(result.left, 5);
  const first = issues[0]?.field;
  return {
    warning: {
      code: warningCode,
      message: `Skipped device ${idOf(raw) ?? "(no id)"}: ${issues.map((i) => `${i.field} ${i.problem}`).join("; ")}.`,
      path: `page ${place.page} › [${place.index}]${first === undefined || first === "(root)" ? "" : `.${first}`}`,
    },
  };
};
