/**
 * How many pages the reader keeps in flight while the service is slow: enough to hide the
 * service's time behind the processing of the pages before, within fixed bounds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { MAX_PREFETCH, SLOW_SERVICE_PREFETCH, lastSkipOf, slowPrefetch } from "../../../src/probes/defender365/pages.js";

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

describe("lastSkipOf", () => {
  it("is the skip of the first short page a one-at-a-time reader meets, for any list and page size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 2, max: 60 }), (devices, pageSize) => {
        const stride = pageSize - 1;
        let skip = 0;
        while (Math.min(pageSize, Math.max(0, devices - skip)) === pageSize) skip += stride;
        assert.equal(lastSkipOf(devices, pageSize, stride), skip);
      }),
    );
  });
});
