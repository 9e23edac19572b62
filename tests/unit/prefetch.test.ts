/**
 * How many pages the reader keeps in flight while the service is slow: enough to hide the
 * service's time behind the processing of the pages before, within fixed bounds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_PREFETCH, SLOW_SERVICE_PREFETCH, slowPrefetch } from "../../src/probes/defender365/pages.js";

describe("slowPrefetch", () => {
  it("starts at SLOW_SERVICE_PREFETCH until a page's processing time is known", () => {
    assert.equal(slowPrefetch(2_500, null), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(2_500, 0), SLOW_SERVICE_PREFETCH);
  });

  it("keeps ceil(service / processing) + 1 pages in flight", () => {
    assert.equal(MAX_PREFETCH, 4, "the cases below assume it");
    assert.equal(slowPrefetch(1_500, 1_000), 3);
    assert.equal(slowPrefetch(1_200, 500), 4); // a page is used every 0.5 s: 2.4 of them in the service's 1.2 s, so 3, plus the next
  });

  it("never goes below SLOW_SERVICE_PREFETCH nor above MAX_PREFETCH", () => {
    assert.equal(slowPrefetch(1_100, 2_000), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(60_000, 100), MAX_PREFETCH);
  });
});
