/**
 * How many devices a machine list holds, estimated from the ids read so far, so that a reader
 * with several pages in flight (a slow service) asks for none past the end on a first sync,
 * when no count is known: the API gives none for machines (no `@odata.count`; `$count` is
 * undocumented there).
 *
 * The facts it rests on (docs/defender-api reference, "Machine entity" and "Ordering"):
 * machine ids are SHA-1 style, 40 lowercase hex, so they are spread evenly over their range;
 * lists seen since 2024 come back in id order (a 2022 list came back by `lastSeen`). When the
 * ids read are in ascending order, the m-th id lies at about the fraction m / N of the range,
 * which gives N. Anything else (ids out of order, not 40 hex) stops the estimate for the rest
 * of the read, and the reader reads ahead as it would without one.
 *
 * Only read-ahead uses it: every page is still read until a short one, whatever it says.
 */
import type { PageItems } from "../../sync/page-items.js";

/**
 * Standard deviations of margin above the estimate. Too low, and the page after the last one
 * it allows is asked for only once that one arrives full (one service time lost); too high,
 * and a call past the end is made more often. With the ids of half a list read, 4 σ is about
 * 1 % of the list.
 */
export const MARGIN_SD = 4;

/** Hex digits of an id read as its position in the id range: 52 bits, exact in a double. */
const HEX_DIGITS_READ = 13;
const RANGE_OF_DIGITS_READ = 16 ** HEX_DIGITS_READ;
const MACHINE_ID = /^[0-9a-f]{40}$/;

/**
 * An upper bound on the size of a list whose `read`-th smallest id (1-based) lies at
 * `fraction` of the id range (0 < fraction ≤ 1), ids spread evenly: the estimate `read /
 * fraction` plus {@link MARGIN_SD} standard deviations of the devices beyond (those are spread
 * over the rest of the range, `1 - fraction`, as thickly as the ones read).
 */
export const listSizeBound = (read: number, fraction: number): number => {
  const beyond = (read * (1 - fraction)) / fraction;
  const sd = Math.sqrt(read * (1 - fraction)) / fraction;
  return read + Math.ceil(beyond + MARGIN_SD * sd);
};

/** The position of a machine id in the id range, from 0 up to 1; undefined for anything but 40 lowercase hex. */
export const idFraction = (id: string): number | undefined =>
  MACHINE_ID.test(id) ? Number.parseInt(id.slice(0, HEX_DIGITS_READ), 16) / RANGE_OF_DIGITS_READ : undefined;

/** The estimate of one read (see the module comment). */
export class ListSizeEstimate {
  /** The last id of the last page noted. */
  private lastId: string | undefined;
  /** False once the ids proved unfit (out of order, not machine ids) or the estimate was too low: no more estimates. */
  private usable = true;

  /**
   * Notes the page read at `skip` (its items as sent, before any is dropped as a repeat) and
   * returns an upper bound on the devices the list holds, or undefined when the ids give none:
   * then or on any earlier page not in ascending order, or not machine ids. Pages must be noted
   * in list order; a page read again after drift is not noted.
   */
  notePage(skip: number, items: PageItems): number | undefined {
    if (!this.usable) return undefined;
    let previous = this.lastId;
    /** `previous` is an id of this page (pages overlap by one device: a page starts with the id that ended the one before). */
    let onThisPage = false;
    let lastAt = -1;
    for (let index = 0; index < items.length; index++) {
      const id = items.idAt(index);
      if (id === undefined) continue; // an item without a string id (it cannot decode) says nothing of the order
      if (previous !== undefined && (onThisPage ? id <= previous : id < previous)) return this.stop();
      previous = id;
      onThisPage = true;
      lastAt = index;
    }
    if (!onThisPage || previous === undefined) return undefined;
    this.lastId = previous;
    const fraction = idFraction(previous);
    if (fraction === undefined) return this.stop();
    return fraction > 0 ? listSizeBound(skip + lastAt + 1, fraction) : undefined;
  }

  /** Stops estimating for the rest of the read (the ids proved unfit, or a bound proved too low). */
  stop(): undefined {
    this.usable = false;
    return undefined;
  }
}
