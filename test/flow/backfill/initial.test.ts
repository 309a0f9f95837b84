import assert from "node:assert/strict";
import { test } from "node:test";
import { CliProcess } from "../../support/cli-process.ts";
import { until } from "../../support/poll.ts";
import { BackfillFixture } from "./support.ts";

test("flow run backfills snapshot: initial tables the first time only", {
  timeout: 120_000,
}, async () => {
  const f = new BackfillFixture();
  let cli: CliProcess | undefined;
  try {
    await f.setup(3000, ", snapshot: initial, backfillChunk: 700");
    const args = ["flow", "run", "--config", f.configFile, "--log-level", "warn"];
    cli = new CliProcess(args);
    await until(
      "the initial backfill to finish",
      () => {
        if (!cli?.running) throw new Error(`exited: ${cli?.stderr}`);
        return cli.stderr.includes("initial backfill done (3000 rows)") ? true : undefined;
      },
      { timeoutMs: 60_000, everyMs: 50 },
    );
    await f.db.query(`UPDATE ${f.table} SET v = 5 WHERE id <= 10`);
    const source = await f.sourceRows();
    await until(
      "the replica to equal the source",
      async () =>
        JSON.stringify(await f.targetRows()) === JSON.stringify(source) ? true : undefined,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    cli.child.kill("SIGTERM");
    assert.equal((await cli.exited(30_000)).code, 0, cli.stderr);

    cli = new CliProcess(args);
    await until(
      "the second run to start",
      () => (cli?.stderr.includes("running") ? true : undefined),
      {
        timeoutMs: 30_000,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    cli.child.kill("SIGTERM");
    assert.equal((await cli.exited(30_000)).code, 0, cli.stderr);
    assert.doesNotMatch(cli.stderr, /initial backfill/, "a finished backfill is not repeated");
  } finally {
    if (cli?.running) {
      cli.child.kill("SIGKILL");
      await cli.exited(10_000).catch(() => undefined);
    }
    await f.cleanup();
  }
});
