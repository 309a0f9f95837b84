import assert from "node:assert/strict";
import { test } from "node:test";
import { createUpstream } from "../../src/gateway/upstream/create-upstream.ts";
import type { Upstream } from "../../src/gateway/upstream/types.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { FIXTURES, startFor, stdioConfig } from "./support.ts";

/** Echo calls completed per second by `concurrency` callers in a tight loop for `ms`. */
async function measure(upstream: Upstream, ms: number, concurrency: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  const end = start + ms;
  const params = { name: "echo", arguments: { text: "hello" } };
  async function caller(): Promise<void> {
    while (performance.now() < end) {
      const outcome = await upstream.request("tools/call", params);
      if (!("result" in outcome)) throw new Error("echo failed");
      done++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller));
  return done / ((performance.now() - start) / 1000);
}

async function throughput(
  script: string,
  t: { diagnostic(message: string): void; after(fn: () => Promise<void>): void },
): Promise<number> {
  const upstream = createUpstream(
    "bench",
    stdioConfig({ args: [`${FIXTURES}${script}`] }),
    silentLogger(),
  );
  await startFor(t, upstream);
  try {
    await measure(upstream, 300, 64); // warm-up
    const rate = await measure(upstream, 2000, 64);
    t.diagnostic(
      `${script}: ${Math.round(rate)} calls/s (64 concurrent callers, one stdio connection)`,
    );
    return rate;
  } finally {
    await upstream.stop(1000);
  }
}

test("one stdio connection carries well over 2,600 echo calls/s (hand-written server)", async (t) => {
  // The hand-written server costs little, so this measures the upstream layer itself.
  const rate = await throughput("raw-echo-server.ts", t);
  assert.ok(rate > 2600, `${Math.round(rate)} calls/s`);
});

test("throughput through the SDK fixture server (its own cost dominates)", async (t) => {
  const rate = await throughput("stdio-server.ts", t);
  assert.ok(rate > 500, `${Math.round(rate)} calls/s`);
});
