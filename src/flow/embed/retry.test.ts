import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay, isRetryableStatus, parseRetryAfter } from "./retry.ts";

describe("retry timing", () => {
  it("doubles from the base and stays under the cap", () => {
    const options = { baseMs: 100, maxMs: 1000 };
    const delays = [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, options, () => 0));
    assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
    assert.equal(
      backoffDelay(0, options, () => 1),
      120,
    );
    assert.equal(
      backoffDelay(9, options, () => 1),
      1000,
    );
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("3", now), 3000);
    assert.equal(parseRetryAfter("0.5", now), 500);
    assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:00:07 GMT", now), 7000);
    assert.equal(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it("retries 429, 408 and 5xx only", () => {
    assert.deepEqual([429, 408, 500, 503, 400, 401, 404, 422].map(isRetryableStatus), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
