import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../../src/config/index.ts";
import { readFlows } from "../../../src/flow/config/read-flows.ts";
import type { FlowSpec } from "../../../src/flow/config/types.ts";
import {
  backfillTables,
  openBackfillableFlow,
  pendingInitialBackfills,
} from "../../../src/flow/engine/backfill-flow.ts";
import type { BackfillReport } from "../../../src/flow/engine/backfill-run.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { until } from "../../support/poll.ts";
import { BackfillFixture, churn } from "./support.ts";

const ROWS = 20_000;

async function specOf(f: BackfillFixture): Promise<FlowSpec> {
  const config = await loadConfig({ file: f.configFile, cwd: f.dir, env: {} });
  const [spec] = readFlows(config);
  assert.ok(spec);
  return spec;
}

test("backfill of 20k rows while updates, deletes and inserts run ends with the replica equal to the source", {
  timeout: 180_000,
}, async () => {
  const f = new BackfillFixture();
  try {
    await f.setup(ROWS);
    const spec = await specOf(f);
    const flow = await openBackfillableFlow(spec, {
      config: undefined,
      cwd: f.dir,
      logger: silentLogger(),
    });
    const running = flow.engine.run();
    try {
      assert.deepEqual(await pendingInitialBackfills(flow.state, spec), []);
      const reports: BackfillReport[] = [];
      const writer = churn(f.db, f.table, ROWS, 300);
      const [done] = await Promise.all([
        backfillTables(flow, spec, [f.table], {
          chunkSize: 1000,
          onProgress: (r) => reports.push(r),
        }),
        writer,
      ]);
      assert.equal(done[0]?.done, true);
      assert.ok(reports.length >= 20, `a report per chunk (${reports.length})`);
      assert.ok(reports.every((r, i) => i === 0 || r.rowsDone >= (reports[i - 1]?.rowsDone ?? 0)));
      const saved = await flow.state.get(spec.name, `backfill/${f.table}`);
      assert.equal((saved as { done: boolean }).done, true, "the finished backfill is saved");
      const source = await f.sourceRows();
      await until(
        "the replica to equal the source",
        async () =>
          JSON.stringify(await f.targetRows()) === JSON.stringify(source) ? true : undefined,
        { timeoutMs: 60_000, everyMs: 200 },
      );
      assert.ok(source.length > ROWS - 400, `most rows are still there (${source.length})`);
    } finally {
      await flow.engine.stop();
      await running;
    }
  } finally {
    await f.cleanup();
  }
});
