/**
 * The items of one page as a source hands them over: how many, each one's `id` (for paging's
 * checks), each one parsed (for the run) and each one's JSON text as sent (for the record's
 * `attributes`). A page a source could split into its items' texts is parsed one item at a
 * time, each when it is used; any other page was parsed whole.
 */

/** A page split into its items' texts by a scan of its JSON (`scanPage`), not yet parsed. */
export interface SplitItems {
  /** Each item's JSON text, as sent. */
  readonly texts: readonly string[];
  /** True for an item whose text spans a line break (a record must stay on one line: it cannot carry that text). */
  readonly broken: readonly boolean[];
  /** Each item's top-level `id` when it is a string (the last one, as `JSON.parse` keeps the last of repeated keys). */
  readonly ids: readonly (string | undefined)[];
}

/** The items of one page (see the module comment). */
export interface PageItems {
  /** Number of items. */
  readonly length: number;
  /** Item `index`'s `id`, when it is a string: the one `JSON.parse` gives the item (the page scan reads it alike). */
  idAt(index: number): string | undefined;
  /**
   * Item `index`, parsed. A split page parses it anew on each call: call it once, when the
   * item is used. Throws a `SyntaxError` for an item that is not JSON (a split page's items
   * are checked only here).
   */
  itemAt(index: number): unknown;
  /** Item `index`'s JSON text as sent, on one line, when known. */
  textAt(index: number): string | undefined;
  /** The items at the indexes for which `keep` is true, in order. */
  pick(keep: (index: number) => boolean): PageItems;
}

/** `item.id` when it is a string (an item not yet decoded). */
export const idOf = (item: unknown): string | undefined =>
  typeof item === "object" && item !== null && typeof (item as { id?: unknown }).id === "string" ? (item as { id: string }).id : undefined;

/** The indexes `0 … length-1` for which `keep` is true. */
const kept = (length: number, keep: (index: number) => boolean): number[] => {
  const indexes: number[] = [];
  for (let index = 0; index < length; index++) if (keep(index)) indexes.push(index);
  return indexes;
};

/** Items already parsed (a page parsed whole); no texts. `idOfItem` reads an item's id (default: its `id`, as `idOf` reads it). */
export const parsedItems = (items: readonly unknown[], idOfItem: (item: unknown) => string | undefined = idOf): PageItems => ({
  length: items.length,
  idAt: (index) => idOfItem(items[index]),
  itemAt: (index) => items[index],
  textAt: () => undefined,
  pick: (keep) =>
    parsedItems(
      kept(items.length, keep).map((index) => items[index]),
      idOfItem,
    ),
});

/** Items of a split page (see `scanPage`), each parsed when asked for. */
export const scannedItems = ({ texts, broken, ids }: SplitItems): PageItems => ({
  length: texts.length,
  idAt: (index) => ids[index],
  itemAt: (index) => JSON.parse(texts[index] ?? "") as unknown,
  textAt: (index) => (broken[index] === true ? undefined : texts[index]),
  pick: (keep) => {
    const indexes = kept(texts.length, keep);
    return scannedItems({ texts: indexes.map((i) => texts[i] ?? ""), broken: indexes.map((i) => broken[i] === true), ids: indexes.map((i) => ids[i]) });
  },
});

/**
 * For each item of `items`, 1 when its `id` is read for the first time (it is not in `seen`,
 * which holds every id read before; it is added now), else 0: a repeat of an id read earlier
 * on this page or on one before. An item without a string `id` (it cannot decode) counts as a
 * first sighting. What the run's intake needs to tell the API's duplicates, without a set of
 * its own.
 */
export const firstSightings = (items: PageItems, seen: Set<string>): Uint8Array =>
  firstSightingsBy(items, (id) => {
    const before = seen.size;
    seen.add(id);
    return seen.size > before;
  });

/**
 * {@link firstSightings} over any table of the ids read: `enter(id)` enters an id and tells
 * whether it was new (a paging plan's table also keeps where each id was read).
 */
export const firstSightingsBy = (items: PageItems, enter: (id: string) => boolean): Uint8Array => {
  const first = new Uint8Array(items.length);
  for (let index = 0; index < items.length; index++) {
    const id = items.idAt(index);
    first[index] = id === undefined || enter(id) ? 1 : 0;
  }
  return first;
};
