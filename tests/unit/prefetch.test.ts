/**
 * How many pages the reader keeps in flight while the service is slow: enough to hide the
 * service's time behind the processing of the pages before, within fixed bounds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_PREFETCH, SLOW_SERVICE_PREFETCH, slowPrefetch } from "../../src/probes/defender365/pages.js";

describe("slowPrefetch", () => {
  it("starts at SLOW_SERVICE_PREFETCH until a page's processing time is known", () => {
    assert.equal(slowPrefetch(2_500, null, 0), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(2_500, 0, 5), SLOW_SERVICE_PREFETCH);
  });

  it("keeps ceil(service / processing) + 1 pages in flight", () => {
    assert.equal(MAX_PREFETCH, 4, "the cases below assume it");
    assert.equal(slowPrefetch(1_500, 1_000, 10), 3);
    assert.equal(slowPrefetch(1_600, 500, 10), 4); // a page is used every 0.5 s: 3.2 of them in the service's 1.6 s, plus the next
  });

  it("never goes below SLOW_SERVICE_PREFETCH nor above MAX_PREFETCH", () => {
    assert.equal(slowPrefetch(1_100, 2_000, 10), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(60_000, 100, 10), MAX_PREFETCH);
  });

  it("goes past SLOW_SERVICE_PREFETCH only once as many full pages were read (a short list is not read far past its end)", () => {
    assert.equal(slowPrefetch(60_000, 100, 1), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(60_000, 100, 3), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(60_000, 100, 4), 4);
  });
});
