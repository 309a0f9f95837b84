import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { type BreakerSettings, CircuitBreaker, type CircuitState } from "./breaker.ts";

const SETTINGS: BreakerSettings = {
  failures: 3,
  failureRate: 0.5,
  minCalls: 10,
  windowMs: 10_000,
  cooldownMs: 1000,
  halfOpenProbes: 2,
};

const settingsArb = fc.record({
  failures: fc.integer({ min: 1, max: 6 }),
  failureRate: fc.double({ min: 0.1, max: 1, noNaN: true }),
  minCalls: fc.integer({ min: 1, max: 20 }),
  windowMs: fc.integer({ min: 100, max: 20_000 }),
  cooldownMs: fc.integer({ min: 1, max: 5000 }),
  halfOpenProbes: fc.integer({ min: 1, max: 4 }),
});

type Op =
  | { kind: "wait"; ms: number }
  | { kind: "admit" }
  | { kind: "finish"; pick: number; outcome: "success" | "failure" | "release" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 3000 }) }),
  fc.record({ kind: fc.constant("admit" as const) }),
  fc.record({
    kind: fc.constant("finish" as const),
    pick: fc.nat(),
    outcome: fc.constantFrom("success" as const, "failure" as const, "release" as const),
  }),
);

/** Runs ops against a breaker, calling `check` after each one. */
function run(
  settings: BreakerSettings,
  ops: Op[],
  check: (b: CircuitBreaker, now: number) => void,
) {
  const breaker = new CircuitBreaker(settings);
  const admitted: boolean[] = [];
  let now = 1_000_000;
  for (const op of ops) {
    if (op.kind === "wait") now += op.ms;
    else if (op.kind === "admit") {
      const admission = breaker.admit(now);
      if (admission.admitted) admitted.push(admission.probe);
    } else if (admitted.length > 0) {
      const [probe] = admitted.splice(op.pick % admitted.length, 1);
      if (op.outcome === "release") breaker.release(probe === true);
      else breaker[op.outcome](now, probe === true);
    }
    check(breaker, now);
  }
}

describe("circuit breaker", () => {
  test("opens after N consecutive failures and rejects with the time left", () => {
    const breaker = new CircuitBreaker(SETTINGS);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(breaker.admit(0), { admitted: true, probe: false });
      breaker.failure(0, false);
    }
    assert.equal(breaker.state(0), "open");
    assert.deepEqual(breaker.admit(400), { admitted: false, retryInMs: 600 });
  });

  test("a success between failures resets the count", () => {
    const breaker = new CircuitBreaker(SETTINGS);
    breaker.failure(0, false);
    breaker.failure(0, false);
    breaker.success(0, false);
    breaker.failure(0, false);
    breaker.failure(0, false);
    assert.equal(breaker.state(0), "closed");
  });

  test("opens when the failure rate over the window passes the threshold", () => {
    const breaker = new CircuitBreaker({ ...SETTINGS, failures: 100, failureRate: 0.6 });
    for (let i = 0; i < 5; i++) {
      breaker.success(i, false);
      breaker.failure(i, false);
    }
    breaker.failure(5, false); // 6 of 11
    breaker.failure(5, false); // 7 of 12
    assert.equal(breaker.state(5), "closed");
    breaker.failure(6, false); // 8 of 13: over 0.6
    assert.equal(breaker.state(6), "open");
  });

  test("failures older than the window are forgotten", () => {
    const breaker = new CircuitBreaker({ ...SETTINGS, failures: 100, minCalls: 4 });
    for (let i = 0; i < 3; i++) breaker.failure(0, false);
    breaker.failure(20_000, false);
    assert.equal(breaker.state(20_000), "closed");
  });

  test("half-open: probes are limited, a success closes, a failure reopens", () => {
    const breaker = new CircuitBreaker(SETTINGS);
    const seen: string[] = [];
    breaker.onTransition = (from, to) => seen.push(`${from}>${to}`);
    for (let i = 0; i < 3; i++) breaker.failure(0, false);
    assert.deepEqual(breaker.admit(1000), { admitted: true, probe: true });
    assert.deepEqual(breaker.admit(1000), { admitted: true, probe: true });
    assert.equal(breaker.admit(1000).admitted, false);
    breaker.failure(1100, true);
    assert.equal(breaker.state(1100), "open");
    breaker.success(1200, true); // the other probe, late: changes nothing
    assert.equal(breaker.state(1200), "open");
    assert.deepEqual(breaker.admit(2100), { admitted: true, probe: true });
    breaker.success(2100, true);
    assert.equal(breaker.state(2100), "closed");
    assert.deepEqual(seen, [
      "closed>open",
      "open>half-open",
      "half-open>open",
      "open>half-open",
      "half-open>closed",
    ]);
  });

  test("property: never more than halfOpenProbes calls in flight while half-open", () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 200 }), (settings, ops) => {
        run(settings, ops, (breaker, now) => {
          if (breaker.state(now) === "half-open")
            assert.ok(breaker.probesInFlight <= settings.halfOpenProbes);
        });
      }),
    );
  });

  test("property: an open circuit always becomes half-open once its cool-down ends", () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 200 }), (settings, ops) => {
        run(settings, ops, (breaker, now) => {
          if (breaker.state(now) !== "open") return;
          const left = breaker.retryIn(now);
          assert.ok(left > 0 && left <= settings.cooldownMs);
          assert.equal(breaker.state(now + left), "half-open");
        });
      }),
    );
  });

  test("property: admit rejects exactly when open, or half-open with every probe slot taken", () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { maxLength: 200 }), (settings, ops) => {
        run(settings, ops, (breaker, now) => {
          const state: CircuitState = breaker.state(now);
          const full = breaker.probesInFlight >= settings.halfOpenProbes;
          const expectReject = state === "open" || (state === "half-open" && full);
          const admission = breaker.admit(now);
          assert.equal(admission.admitted, !expectReject);
          if (admission.admitted) breaker.release(admission.probe);
        });
      }),
    );
  });
});
