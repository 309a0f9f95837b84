import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { SophiaError } from "../../shared/errors.ts";
import { RetryBudget } from "./retry-budget.ts";
import { circuitOpen, isServerFailure, retryDelay, safeToRepeat } from "./retry-rules.ts";

describe("retry rules", () => {
  const annotations: Record<string, Record<string, unknown>> = {
    read: { readOnlyHint: true },
    put: { idempotentHint: true },
    write: { destructiveHint: true },
  };
  const lookup = (name: string) => annotations[name];

  test("tools are repeated only when annotated read-only or idempotent", () => {
    assert.equal(safeToRepeat("tools/call", { name: "read" }, lookup), true);
    assert.equal(safeToRepeat("tools/call", { name: "put" }, lookup), true);
    assert.equal(safeToRepeat("tools/call", { name: "write" }, lookup), false);
    assert.equal(safeToRepeat("tools/call", { name: "unknown" }, lookup), false);
    assert.equal(safeToRepeat("tools/call", { name: "read" }, undefined), false);
  });

  test("lists and reads are repeated, other requests are not", () => {
    assert.equal(safeToRepeat("tools/list", undefined, undefined), true);
    assert.equal(safeToRepeat("resources/read", { uri: "x" }, undefined), true);
    assert.equal(safeToRepeat("resources/subscribe", { uri: "x" }, undefined), false);
  });

  test("transport errors and timeouts are failures; cancellation and overload are not", () => {
    assert.equal(isServerFailure(new SophiaError("UPSTREAM_TIMEOUT", "t")), true);
    assert.equal(isServerFailure(new SophiaError("UPSTREAM_UNAVAILABLE", "u")), true);
    assert.equal(isServerFailure(new SophiaError("UPSTREAM_OVERLOADED", "o")), false);
    const abort = new Error("cancelled");
    abort.name = "AbortError";
    assert.equal(isServerFailure(abort), false);
  });

  test("property: a retry delay is within [0, min(max, base·2^attempt)]", () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, base, max, r) => {
          const delay = retryDelay(attempt, base, max, () => r);
          assert.ok(delay >= 0 && delay <= Math.min(max, base * 2 ** attempt));
        },
      ),
    );
  });

  test("the circuit-open message names the server and the wait in seconds", () => {
    assert.equal(
      circuitOpen("fx", 2500).message,
      "server fx is unavailable (circuit open, retry in 3s)",
    );
  });
});

describe("retry budget", () => {
  test("allows a few retries when quiet, then a share of calls", () => {
    const budget = new RetryBudget(0.2);
    for (let i = 0; i < 3; i++) assert.equal(budget.tryRetry(0), true);
    assert.equal(budget.tryRetry(0), false);
    for (let i = 0; i < 100; i++) budget.call(0);
    let granted = 0;
    while (budget.tryRetry(0) && granted < 1000) granted++;
    assert.equal(granted, 17, "20 of 100 calls, 3 already spent");
  });

  test("property: retries never exceed max(3, ratio × calls) within one window", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.boolean(), { maxLength: 500 }),
        (ratio, ops) => {
          const budget = new RetryBudget(ratio, 60_000);
          let calls = 0;
          let retries = 0;
          for (const isCall of ops) {
            if (isCall) {
              budget.call(0);
              calls++;
            } else if (budget.tryRetry(0)) retries++;
            assert.ok(retries <= Math.max(3, ratio * calls));
          }
        },
      ),
    );
  });

  test("old calls and retries leave the window", () => {
    const budget = new RetryBudget(0.2, 1000);
    for (let i = 0; i < 3; i++) budget.tryRetry(0);
    assert.equal(budget.tryRetry(0), false);
    assert.equal(budget.tryRetry(5000), true);
  });
});
