import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { MAX_DURATION_MS, parseDuration, parseSize } from "./units.ts";

describe("parseDuration", () => {
  test("reads numbers as milliseconds and strings with units", () => {
    assert.equal(parseDuration(1500), 1500);
    assert.equal(parseDuration("1500"), 1500);
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("2m"), 120_000);
    assert.equal(parseDuration("1h"), 3_600_000);
    assert.equal(parseDuration("1m30s"), 90_000);
    assert.equal(parseDuration("1.5s"), 1500);
    assert.equal(parseDuration(" 10s "), 10_000);
    assert.equal(parseDuration(0), 0);
  });

  test("refuses what it cannot read exactly", () => {
    for (const bad of ["", "s", "-5s", "10 s", "10x", "1d", "ms", "1.5", "1h-2m", "10ss"]) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, null, [], {}]) {
      assert.equal(parseDuration(bad), undefined, String(bad));
    }
  });

  test("refuses durations Node timers cannot hold", () => {
    assert.equal(parseDuration(MAX_DURATION_MS), MAX_DURATION_MS);
    assert.equal(parseDuration(MAX_DURATION_MS + 1), undefined);
    assert.equal(parseDuration("1000h"), undefined);
  });

  test("every unit agrees with its factor", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), (n) => {
        assert.equal(parseDuration(`${n}ms`), n);
        assert.equal(parseDuration(`${n}s`), n * 1000);
        assert.equal(parseDuration(`${n}m`), n * 60_000);
        assert.equal(parseDuration(`${n}h`), n * 3_600_000);
        assert.equal(parseDuration(`${n}m${n}s`), n * 61_000);
        assert.equal(parseDuration(String(n)), n);
      }),
    );
  });
});

describe("parseSize", () => {
  test("reads bytes and binary units in any case", () => {
    assert.equal(parseSize(4096), 4096);
    assert.equal(parseSize("4096"), 4096);
    assert.equal(parseSize("4mb"), 4 * 1024 * 1024);
    assert.equal(parseSize("4MB"), 4 * 1024 * 1024);
    assert.equal(parseSize("512kb"), 512 * 1024);
    assert.equal(parseSize("512 KiB"), 512 * 1024);
    assert.equal(parseSize("1.5m"), 1.5 * 1024 * 1024);
    assert.equal(parseSize("1g"), 1024 ** 3);
    assert.equal(parseSize("10b"), 10);
  });

  test("refuses unknown units and impossible values", () => {
    for (const bad of ["", "mb", "4 megabytes", "-1kb", "4tb", "1e3", -1, 0.5, true, null]) {
      assert.equal(parseSize(bad), undefined, String(bad));
    }
  });

  test("units are powers of 1024", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4096 }), (n) => {
        assert.equal(parseSize(`${n}kb`), n * 1024);
        assert.equal(parseSize(`${n}mb`), n * 1024 ** 2);
        assert.equal(parseSize(`${n}`), n);
      }),
    );
  });
});
