/**
 * The decisions of paging through the machine list, without I/O: which pages to ask for and
 * in what order, which to cancel, what each page that comes back says about a list that may
 * change while it is read, which of its devices to hand over, and when the list has ended or
 * cannot be trusted. The reader (`pages.ts`) performs what the plan says with got; tests drive
 * the plan with pages made in memory.
 *
 * Offset drift: consecutive pages overlap by one device (`$skip` advances by `pageSize - 1`),
 * so a page must begin with the device that ended the one before. When it begins with a device
 * already read, devices were added before the offset: the repeats are dropped downstream by
 * id. When it begins with a device never read, devices were removed and others moved behind
 * the offset: the stretch before it is read again (stepping back, or on where devices added
 * meanwhile pushed it, up to {@link MAX_STEP_BACKS} pages each way) so that none is lost.
 * Whether a read again closed the gap is what the devices pages share show ({@link Coverage}),
 * as pages read ahead are answered in any order, each from the list as it then was.
 *
 * Never a wrong complete: a read by skip ends without error only when its pages prove that
 * every device that stayed in the list was read ({@link Coverage}); otherwise, whatever the
 * rules above concluded, it fails as `ERR_API_PAGING` and the run is incomplete.
 *
 * The end of the list: a short page. An empty page where the overlap says a device is ends it
 * only once a read of the stretch before comes back short. Defender's 404 "no machines" is an
 * empty tenant on the first page only. A `@odata.nextLink` (not expected with `$top`) is
 * followed one page at a time, only where it continues the list. More than `maxDevices`
 * devices is `ERR_API_LIST_TOO_LONG`.
 */
import { listCutShort, listTooLong, pagingError } from "./api-errors.js";
import type { ApiError } from "../../engine/errors.js";
import { firstSightingsBy, type PageItems } from "../../sync/page-items.js";
import { strideOf, type ReadAhead } from "./read-ahead.js";
import { DEFAULT_MAX_DEVICES } from "../../sync/read-bounds.js";

/** What the plan is told of the read (the fields of `PageQuery` it uses). */
export interface PlanQuery {
  /** API base URL (`https://api.security.microsoft.com`). */
  readonly apiBaseUrl: string;
  /** Devices per call (1–10,000). */
  readonly pageSize: number;
  /** OData `$filter`, if any. */
  readonly filter?: string | undefined;
  /** Most devices handed over. Default {@link DEFAULT_MAX_DEVICES}. */
  readonly maxDevices?: number | undefined;
}

/** What paging noticed about a list that changed while it was read. */
export interface DriftStats {
  /** Page boundaries where the list had shifted (devices added or removed before the offset). */
  shifts: number;
  /** Pages read again to recover devices that a removal had moved behind the offset. */
  recoveryPages: number;
}

/** The URL of the page at `skip`. */
export const pageUrl = (query: PlanQuery, skip: number): string => {
  const url = new URL(`${query.apiBaseUrl}/api/machines`);
  url.searchParams.set("$top", String(query.pageSize));
  url.searchParams.set("$skip", String(skip));
  if (query.filter) url.searchParams.set("$filter", query.filter);
  return url.toString();
};

/** The hint of a paging error that only the service can fix. */
const REPORT_HINT = "Run again; report it if it persists. The run is marked incomplete.";

/**
 * The URL a nextLink leads to, or the error that refuses it: a link to another origin or plain
 * http (the bearer token goes to the API origin only), or one that does not continue the list
 * where the page ended: another path, another `$filter` or `$top`, a `$skip` other than
 * `offset` (the page's own offset plus its items), or any other query option (`$select` would
 * drop the fields that identify devices), names read as OData reads them, in any case. Any of
 * these would skip devices, read some twice or read them thinner in a run that still looked
 * complete.
 */
export const checkNextLink = (link: string, query: PlanQuery, offset: number): string | ApiError => {
  let url: URL;
  try {
    url = new URL(link, query.apiBaseUrl);
  } catch {
    return pagingError("The API returned a nextLink that is not a URL.", "Run again; report it if it persists.");
  }
  if (url.origin !== new URL(query.apiBaseUrl).origin) {
    return pagingError(
      `The API returned a nextLink to another origin (${url.origin}); it was not followed, so the token was not sent there.`,
      "Check apiBaseUrl and any proxy rewriting responses. The run is marked incomplete.",
    );
  }
  const expected = new URL(pageUrl(query, offset));
  const options = queryOptions(url);
  const top = options?.get("$top");
  if (
    options === undefined ||
    url.pathname.toLowerCase() !== expected.pathname.toLowerCase() ||
    options.get("$skip") !== String(offset) ||
    (options.get("$filter") ?? "") !== (query.filter ?? "") ||
    (top !== undefined && top !== String(query.pageSize)) ||
    [...options.keys()].some((name) => !NEXT_LINK_OPTIONS.has(name))
  ) {
    return pagingError(
      `The API returned a nextLink that does not continue the list where the page ended (expected $skip=${offset}${query.filter ? " and the same $filter" : ""}, and no other query option); it was not followed.`,
      REPORT_HINT,
    );
  }
  return url.toString();
};

/** The query options a nextLink that continues the list may carry. */
const NEXT_LINK_OPTIONS = new Set(["$skip", "$filter", "$top"]);

/**
 * The query options of `url` by their names in lower case, as OData reads them (`$Filter` is
 * `$filter`); undefined when a name is given twice, which the service could read either way.
 */
const queryOptions = (url: URL): Map<string, string> | undefined => {
  const options = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const key = name.toLowerCase();
    if (options.has(key)) return undefined;
    options.set(key, value);
  }
  return options;
};

/**
 * What a page read by skip after a full page says about the list since that page (pages
 * overlap by one device, so it should begin with that page's last device):
 * - `continues`: it does (or the overlap cannot be checked: the page before ended with a device
 *   without an id, and this one begins with a device without an id too);
 * - `grew`: it begins with a device already read: devices were added before the offset (the
 *   repeats are dropped downstream); read again as for `shrank` unless that links it to the
 *   start of the list (see {@link Coverage});
 * - `shrank`: it begins with a device never read, or its first device and the page before's
 *   last do not both lack an id: devices were removed and others moved behind the offset, so
 *   the stretch before must be read again;
 * - `empty`: no device where one should be: the list shrank to end there, or the answer left
 *   the rest out; only a read of the stretch before tells (see {@link endConfirmed}).
 */
export type Boundary = "continues" | "grew" | "shrank" | "empty";

/** The {@link Boundary} of a page of `length` items beginning with `firstId`, after a page that ended with `lastIdOfPrevious`. */
export const boundaryOf = (length: number, firstId: string | undefined, lastIdOfPrevious: string | undefined, wasRead: (id: string) => boolean): Boundary => {
  if (length === 0) return "empty";
  if (firstId === lastIdOfPrevious) return "continues"; // the same id, or both without one
  return firstId !== undefined && wasRead(firstId) ? "grew" : "shrank";
};

/**
 * True when a read at `skip` that gave `length` devices, made after an empty page at
 * `emptySkip`, shows the list ending at or before `emptySkip` (it shrank); false when it shows
 * a device at or past it, so that the empty page left the rest of the list out.
 */
export const endConfirmed = (skip: number, length: number, emptySkip: number): boolean => skip + length <= emptySkip;

/** Steps back at most this many times at one boundary before giving up on a list that keeps moving. */
export const MAX_STEP_BACKS = 3;

/** What a read of a stretch again is for, and how far the reading of that stretch has gone. */
export interface Recovery {
  /** Steps back taken to reach this page (1 for the first read of the stretch before). */
  readonly stepBack: number;
  /**
   * For the read after an empty page that the overlap says should have held a device: that
   * page's skip and number. The list really shrank only if this read shows no device at or
   * past that skip.
   */
  readonly confirmsEnd: { readonly skip: number; readonly number: number } | null;
  /**
   * The number of the page whose boundary opened the gap. Its reads close it once that page is
   * linked to the start of the list (see {@link Coverage}); one not linked to the start begins
   * past the gap and steps back; one linked to it but not to that page, full, was outrun by
   * devices added meanwhile, and the stretch after it is read.
   */
  readonly gap: number;
  /** Reads of the stretch after, taken to reach the gap (at most {@link MAX_STEP_BACKS}). */
  readonly forwards: number;
}

/** One page the plan asks for. */
export interface PlannedRead {
  /** 1-based, in the order pages are asked for: the page's number in messages. */
  readonly number: number;
  /** The URL to get. */
  readonly url: string;
  /** The page's `$skip`; null for a page a nextLink leads to. */
  readonly skip: number | null;
  /** Why this page is a stretch read again; null for a page read in order (by skip or nextLink). */
  readonly recovery: Recovery | null;
}

/** A request to perform, in order: ask for a page, or cancel one asked for and not yet taken. */
export type Command = { readonly _tag: "Start"; readonly read: PlannedRead } | { readonly _tag: "Cancel"; readonly read: PlannedRead };

/** What came back for a page: its items and nextLink, or Defender's 404 "no machines". */
export type PageFacts = { readonly items: PageItems; readonly nextLink: string | null } | { readonly noMachines: true };

/** What to do with a page that came back (after performing the commands that came with it). */
export type Decision =
  /** The list is empty (a 404 "no machines" on the first page): the read ends without a page. */
  | { readonly _tag: "End" }
  /** The read fails here: nothing of this page is handed over. */
  | { readonly _tag: "Fail"; readonly error: ApiError }
  /**
   * Hand `items` over (the page's items less the repeats that paging itself caused), then fail
   * with `then` if set (a nextLink that was refused: the page itself is good).
   */
  | {
      readonly _tag: "HandOver";
      readonly items: PageItems;
      /** For each of `items`, 1 when no item handed over before it had its id, else 0. */
      readonly firstSightings: Uint8Array;
      readonly recovery: boolean;
      readonly then: ApiError | undefined;
    };

/** What the plan says about a page: requests to perform now, in order, and what to do with the page. */
export interface Step {
  readonly commands: readonly Command[];
  readonly decision: Decision;
}

/** In {@link Coverage}'s table, an id read only on pages not noted (pages a nextLink led to). */
export const NOT_NOTED = 0;

/**
 * What the pages read by skip prove about a list that may change while it is read, as long as
 * it keeps its order (devices are added and removed, never moved). A page is a run of the list
 * as it was when answered. Call a page *covered* when every device that stays in the list for
 * the whole read and comes no later than the page's last device has been read: a page at skip 0
 * is; so is any page that shares a device with a covered one (the devices up to the shared one
 * are read, and the page itself holds every device from it to its own last). Pages linked by
 * shared devices are thus covered together. A short page holds every device after its first,
 * so once one is covered, every device that stayed in the list was read. Sound whatever order
 * pages come in and whichever rule asked for them, which the stepping rules are not on their own.
 */
export class Coverage {
  /** Union-find over page numbers: each page's parent, and, at a root, what its pages show. */
  private readonly parent = new Map<number, number>();
  private readonly atStart = new Set<number>();
  private readonly toEnd = new Set<number>();

  /**
   * `pageOf`: for each id read, one page noted here that held it ({@link NOT_NOTED} for an id
   * read only on pages not noted). A plan shares its table of every id read, so that a list of
   * a million devices is not hashed twice; then it, not {@link note}, enters a page's new ids.
   */
  constructor(private readonly pageOf: Map<string, number> = new Map()) {}

  /**
   * Notes page `number`, read at `skip` (from the start of the list when 0), holding `items`;
   * `short` when it ended the list. With `enterNew` false, ids read for the first time are left
   * for the owner of `pageOf` to enter (with this page's number).
   */
  note(number: number, skip: number, items: PageItems, short: boolean, enterNew = true): void {
    this.parent.set(number, number);
    if (skip === 0) this.atStart.add(number);
    if (short) this.toEnd.add(number);
    for (let index = 0; index < items.length; index++) {
      const id = items.idAt(index);
      if (id === undefined) continue;
      const other = this.pageOf.get(id);
      if (other === undefined ? enterNew : other === NOT_NOTED) this.pageOf.set(id, number);
      else if (other !== undefined) this.join(other, number);
    }
  }

  /** Takes pages `a` and `b` as linked although they share no id (an overlap that could not be checked: see {@link boundaryOf}). */
  join(a: number, b: number): void {
    const rootA = this.root(a);
    const rootB = this.root(b);
    if (rootA === rootB) return;
    this.parent.set(rootB, rootA);
    if (this.atStart.delete(rootB)) this.atStart.add(rootA);
    if (this.toEnd.delete(rootB)) this.toEnd.add(rootA);
  }

  /** True when page `number` (noted) is linked to a page at skip 0: every device that stayed in the list up to its last was read. */
  fromStart(number: number): boolean {
    return this.parent.has(number) && this.atStart.has(this.root(number));
  }

  /** True when the pages noted show every device that stayed in the list read: a short page linked to one at skip 0. */
  whole(): boolean {
    for (const root of this.atStart) if (this.toEnd.has(root)) return true;
    return false;
  }

  private root(number: number): number {
    let root = number;
    for (let up = this.parent.get(root); up !== undefined && up !== root; up = this.parent.get(root)) root = up;
    // Path compression: point every page on the way at the root.
    for (let at = number; at !== root;) {
      const up = this.parent.get(at) ?? root;
      this.parent.set(at, root);
      at = up;
    }
    return root;
  }
}

const END: Decision = { _tag: "End" };
const fail = (error: ApiError): Decision => ({ _tag: "Fail", error });

/**
 * The paging plan of one read (see the module comment). Driven in this order:
 * {@link PagingPlan.begin} once; then, until {@link PagingPlan.take} gives no page, the page it
 * gives is fetched and its facts handed to {@link PagingPlan.onPage}; {@link PagingPlan.readAhead}
 * when the read-ahead policy changed its mind between pages; {@link PagingPlan.cancelAll} when
 * the read ends. No page is asked for twice in order: skips only grow, and a nextLink is
 * followed only where it continues the list past a page that held devices, so a link loop is
 * refused there.
 */
export class PagingPlan {
  private readonly stride: number;
  private readonly overlapping: boolean;
  private readonly maxDevices: number;
  /** Pages asked for and not yet taken, in the order they are to be taken. */
  private readonly queue: PlannedRead[] = [];
  /** Every id handed over. */
  /** Every id read, with one page noted in {@link coverage} that held it ({@link NOT_NOTED} when none did). */
  private readonly seenIds = new Map<string, number>();
  private nextSkip = 0;
  private pageNumber = 0;
  private followingNextLinks = false;
  /** Where the page a followed nextLink leads to starts in the list (nextLinks are followed one at a time). */
  private linkOffset = 0;
  private lastIdOfPrevious: string | undefined;
  /** Devices handed over so far (repeats that paging itself causes left out). */
  private handedOver = 0;
  /** The last page read in order by skip. */
  private previousInOrder: number | undefined;
  /** What the pages read by skip prove (checked when the read ends). */
  private readonly coverage = new Coverage(this.seenIds);

  constructor(
    private readonly query: PlanQuery,
    private readonly ahead: ReadAhead,
    private readonly drift: DriftStats,
  ) {
    this.stride = strideOf(query.pageSize);
    this.overlapping = query.pageSize > 1;
    this.maxDevices = query.maxDevices ?? DEFAULT_MAX_DEVICES;
  }

  /** The first request: the page at skip 0. */
  begin(): Command[] {
    const commands: Command[] = [];
    this.enqueueBySkip(commands);
    return commands;
  }

  /** The next page to fetch and hand to {@link PagingPlan.onPage}, or undefined when the read is over. */
  take(): PlannedRead | undefined {
    return this.queue.shift();
  }

  /** Asks for pages by skip until the read-ahead policy has enough of them ahead of the one being read. */
  readAhead(): Command[] {
    const commands: Command[] = [];
    this.fillAhead(commands);
    return commands;
  }

  /** Enters `id` as read on page `page` (as {@link Coverage} notes it); true when it was not read before. */
  private enter(id: string, page: number): boolean {
    if (this.seenIds.has(id)) return false;
    this.seenIds.set(id, page);
    return true;
  }

  /** Cancels every page asked for and not taken (the read ended or failed). */
  cancelAll(): Command[] {
    return this.queue.splice(0).map((read) => ({ _tag: "Cancel", read }));
  }

  /** What page `read` (the last one taken) says, from what came back for it. */
  onPage(read: PlannedRead, page: PageFacts): Step {
    const commands: Command[] = [];
    if ("noMachines" in page) {
      // Documented for a tenant with no devices: true only of the first page. Past a full page it contradicts what was
      // read, and a recovery read that finds nothing where devices just were shows a list moving too fast to trust.
      if (read.skip === 0 && read.recovery === null) return { commands, decision: END };
      return { commands, decision: fail(listCutShort(read.number, 'was a 404 "no machines"')) };
    }
    const { items } = page;
    if (read.skip !== null) this.coverage.note(read.number, read.skip, items, items.length < this.query.pageSize, false);
    const failure = read.recovery !== null ? this.afterRecoveryRead(read, read.recovery, items, commands) : this.atBoundary(read, items, commands);
    if (failure !== undefined) return { commands, decision: fail(failure) };
    const kept = this.withoutPagingRepeats(read, items);
    // The items picked out are in seenIds already: adding the rest adds every id of the page.
    const notedAs = read.skip !== null ? read.number : NOT_NOTED;
    const firsts = firstSightingsBy(kept, (id) => this.enter(id, notedAs));
    const refused = read.recovery === null ? this.onward(read, page.items, page.nextLink, commands) : undefined;
    this.handedOver += kept.length;
    if (this.handedOver > this.maxDevices) return { commands, decision: fail(listTooLong(this.maxDevices)) };
    const then = refused ?? (this.queue.length === 0 ? this.unproven() : undefined);
    return { commands, decision: { _tag: "HandOver", items: kept, firstSightings: firsts, recovery: read.recovery !== null, then } };
  }

  /**
   * When the read ends: the error if its pages do not show every device that stayed in the list
   * read (see {@link Coverage}), whatever the stepping rules concluded. Pages of one device
   * cannot overlap, and pages a nextLink led to are taken as the service gives them.
   */
  private unproven(): ApiError | undefined {
    if (!this.overlapping || this.followingNextLinks || this.coverage.whole()) return undefined;
    return pagingError(
      "The device list changed too much while it was read for its pages to show that every device was read (no run of overlapping pages from its start to its end); stopped rather than report it complete.",
      "Run again later; the run is marked incomplete.",
    );
  }

  /** Asks for the page at the next skip. */
  private enqueueBySkip(commands: Command[]): void {
    this.enqueue(pageUrl(this.query, this.nextSkip), this.nextSkip, commands);
    this.nextSkip += this.stride;
  }

  private enqueue(url: string, skip: number | null, commands: Command[]): void {
    this.pageNumber += 1;
    const read: PlannedRead = { number: this.pageNumber, url, skip, recovery: null };
    this.queue.push(read);
    commands.push({ _tag: "Start", read });
  }

  /** Asks for pages by skip until the read-ahead policy wants no more, none past the end it expects. */
  private fillAhead(commands: Command[]): void {
    while (this.ahead.wants(this.queue.filter((p) => p.recovery === null).length, this.nextSkip)) this.enqueueBySkip(commands);
  }

  /** Cancels the pages in the queue that `drop` selects. */
  private cancel(drop: (read: PlannedRead) => boolean, commands: Command[]): void {
    const kept: PlannedRead[] = [];
    for (const read of this.queue) {
      if (drop(read)) commands.push({ _tag: "Cancel", read });
      else kept.push(read);
    }
    this.queue.splice(0, this.queue.length, ...kept);
  }

  /** Reads the stretch before `skip` again (with `forward`, the stretch after it), ahead of every page in the queue; the error when the list keeps moving. */
  private recover(skip: number, recovery: Recovery, commands: Command[], forward = false): ApiError | undefined {
    if (recovery.stepBack > MAX_STEP_BACKS || recovery.forwards > MAX_STEP_BACKS) {
      return pagingError(
        `The device list kept changing while it was read (devices removed faster than ${MAX_STEP_BACKS} pages could be read again); stopped so as not to miss any.`,
        "Run again later; the run is marked incomplete.",
      );
    }
    const back = forward ? skip + this.stride : Math.max(0, skip - this.stride);
    this.drift.recoveryPages += 1;
    this.pageNumber += 1;
    const read: PlannedRead = { number: this.pageNumber, url: pageUrl(this.query, back), skip: back, recovery };
    this.queue.unshift(read);
    commands.push({ _tag: "Start", read });
    return undefined;
  }

  /** Checks a page read in order by skip against the full page before it (see {@link Boundary}); reads the stretch before again when it must. */
  private atBoundary(read: PlannedRead, items: PageItems, commands: Command[]): ApiError | undefined {
    if (!this.overlapping || this.followingNextLinks || read.skip === null || read.skip <= 0) return undefined;
    const firstId = items.idAt(0);
    const boundary = boundaryOf(items.length, firstId, this.lastIdOfPrevious, (id) => this.seenIds.has(id));
    // Two devices without an id at the overlap cannot be told apart: taken as the same one, as boundaryOf does.
    if (boundary === "continues" && firstId === undefined && this.previousInOrder !== undefined) this.coverage.join(this.previousInOrder, read.number);
    if (boundary !== "continues") this.drift.shifts += 1;
    // A page that begins with a device read before is linked to what was read, but with pages answered out of order
    // that may be a stretch read past a gap: only a link to the start shows none was left between.
    if (boundary === "shrank" || (boundary === "grew" && !this.coverage.fromStart(read.number)))
      return this.recover(read.skip, { stepBack: 1, confirmsEnd: null, gap: read.number, forwards: 0 }, commands);
    if (boundary === "empty")
      return this.recover(read.skip, { stepBack: 1, confirmsEnd: { skip: read.skip, number: read.number }, gap: read.number, forwards: 0 }, commands);
    return undefined;
  }

  /**
   * Judges a read of a stretch again: the end it confirms, and whether it closed the gap or must
   * step again. Whether it reached back into what was read, and on to the gap, is what the
   * pages' shared devices show (see {@link Coverage}); a device read before is not enough, as
   * devices added meanwhile may have pushed part of the stretch past the gap.
   */
  private afterRecoveryRead(read: PlannedRead, recovery: Recovery, items: PageItems, commands: Command[]): ApiError | undefined {
    // After an empty page: a device at or past its skip shows that the list had not ended there.
    const ends = recovery.confirmsEnd;
    if (ends !== null && read.skip !== null && !endConfirmed(read.skip, items.length, ends.skip)) return listCutShort(ends.number, "was empty");
    // Closed once the gap's page is linked to the start, or a short page is (every device that stayed was read).
    if (read.skip === null || this.coverage.fromStart(recovery.gap) || this.coverage.whole()) return undefined;
    // Not linked to the start (an empty read reaches nothing; one that begins with a device never read, or one read
    // at or after the gap, begins past it): the stretch before it is still unread.
    if (!this.coverage.fromStart(read.number)) return this.recover(read.skip, { ...recovery, stepBack: recovery.stepBack + 1, confirmsEnd: null }, commands);
    // Linked to the start but not to the gap, full: devices were added meanwhile, and the rest of the stretch lies after
    // it. Short, it ends the list: whatever stayed in it was read.
    if (items.length >= this.query.pageSize)
      return this.recover(read.skip, { ...recovery, forwards: recovery.forwards + 1, confirmsEnd: null }, commands, true);
    return undefined;
  }

  /** The page's items less the repeats that paging itself causes (not the API's duplicates): the overlap, and what a recovery read had read before. */
  private withoutPagingRepeats(read: PlannedRead, items: PageItems): PageItems {
    if (read.recovery !== null)
      return items.pick((index) => {
        const id = items.idAt(index);
        return id === undefined || !this.seenIds.has(id);
      });
    const firstId = items.idAt(0);
    if (this.overlapping && read.skip !== null && read.skip > 0 && firstId !== undefined && firstId === this.lastIdOfPrevious)
      return items.pick((index) => index > 0);
    return items;
  }

  /**
   * Where the read goes after a page read in order (`items` as sent): on by skip after a full
   * page, along its nextLink if it has one, to its end after a short page. Returns the error
   * that refuses to go on after this page is handed over, if any.
   */
  private onward(read: PlannedRead, items: PageItems, nextLink: string | null, commands: Command[]): ApiError | undefined {
    this.lastIdOfPrevious = items.idAt(items.length - 1);
    this.previousInOrder = read.number;
    const full = items.length >= this.query.pageSize;
    if (nextLink !== null) {
      // Not expected with $top; follow it, one page at a time, and drop pages read ahead by skip. Reads of a stretch
      // again stay: a boundary already found moving is still to be closed.
      this.followingNextLinks = true;
      const offset = (read.skip ?? this.linkOffset) + items.length;
      // A link from a page with no device would lead on without end, past any count of devices.
      const url =
        items.length === 0
          ? pagingError("The API sent a page with no device and a link to another; stopped.", REPORT_HINT)
          : checkNextLink(nextLink, this.query, offset);
      this.cancel((p) => typeof url !== "string" || p.recovery === null, commands);
      if (typeof url !== "string") return url;
      this.enqueue(url, null, commands);
      this.linkOffset = offset;
      return undefined;
    }
    if (this.followingNextLinks && full) {
      // A full page that names no next one does not show the list ended: the link could have been dropped.
      return pagingError("A page the API's nextLink led to was full but named no next page, so the rest of the list could not be read.", REPORT_HINT);
    }
    if (!this.followingNextLinks && full) {
      // Read on: the read-ahead policy learns from the page where the list may end, then asks for the pages it wants.
      if (read.skip !== null) this.ahead.noteFullPage(read.skip, items);
      this.fillAhead(commands);
      return undefined;
    }
    // A short page ends the list: pages read ahead past it are cancelled; reads of a stretch again go on.
    this.cancel((p) => p.recovery === null, commands);
    return undefined;
  }
}
