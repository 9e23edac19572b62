/**
 * Open scroll contexts of `/devices/queries/devices-scroll/v1` (reference §3.2): an opaque
 * offset of 200+ URL-safe characters (an Elasticsearch scroll id in the real service), the
 * listing it snapshots, where it stands, and when it expires (each call slides it).
 */
import { randomBytes } from "node:crypto";
import type { Listing } from "./store.js";

/** One scroll. */
export interface ScrollContext {
  readonly listing: Listing;
  position: number;
  expiresAtMs: number;
}

/** What looking an offset up found. */
export type ScrollLookup = { readonly kind: "open"; readonly scroll: ScrollContext } | { readonly kind: "expired" } | { readonly kind: "unknown" };

const MAX_EXPIRED_KEPT = 10_000;

/** A new opaque scroll offset: it decodes to `queryThenFetch…` like the real ones. */
export const newScrollOffset = (): string => `DnF1ZXJ5VGhlbkZldGNo${randomBytes(180).toString("base64url")}`;

/** The open scrolls by offset. */
export class Scrolls {
  private readonly open = new Map<string, ScrollContext>();
  private readonly expired = new Set<string>();

  /** Opens a scroll over `listing`; returns its offset. */
  start(listing: Listing, nowMs: number, ttlMs: number): { offset: string; scroll: ScrollContext } {
    const offset = newScrollOffset();
    const scroll: ScrollContext = { listing, position: 0, expiresAtMs: nowMs + ttlMs };
    this.open.set(offset, scroll);
    return { offset, scroll };
  }

  /** The scroll of `offset` at `nowMs`. */
  lookup(offset: string, nowMs: number): ScrollLookup {
    const scroll = this.open.get(offset);
    if (scroll === undefined) return { kind: this.expired.has(offset) ? "expired" : "unknown" };
    if (scroll.expiresAtMs <= nowMs) {
      this.expire(offset);
      return { kind: "expired" };
    }
    return { kind: "open", scroll };
  }

  /** Moves an open scroll to a new offset (when offsets change per page). */
  rename(from: string): string {
    const scroll = this.open.get(from);
    const to = newScrollOffset();
    if (scroll !== undefined) {
      this.open.delete(from);
      this.open.set(to, scroll);
    }
    return to;
  }

  /** Ends `offset` as expired. */
  expire(offset: string): void {
    if (this.open.delete(offset)) {
      if (this.expired.size >= MAX_EXPIRED_KEPT) this.expired.clear();
      this.expired.add(offset);
    }
  }

  /** Ends `offset` at the end of its listing. */
  finish(offset: string): void {
    this.open.delete(offset);
  }

  /** Expires every open scroll (tests). */
  expireAll(): void {
    for (const offset of [...this.open.keys()]) this.expire(offset);
  }
}
