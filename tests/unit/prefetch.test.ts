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
    assert.equal(slowPrefetch(2_000, 500), 5); // a page every 0.5 s is used: 4 in the service's 2 s, plus the next
    assert.equal(slowPrefetch(2_100, 500), 6);
  });

  it("never goes below SLOW_SERVICE_PREFETCH nor above MAX_PREFETCH", () => {
    assert.equal(slowPrefetch(1_100, 2_000), SLOW_SERVICE_PREFETCH);
    assert.equal(slowPrefetch(60_000, 100), MAX_PREFETCH);
  });
});
