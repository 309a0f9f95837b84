import assert from "node:assert/strict";
import { test } from "node:test";
import { CliProcess } from "../../support/cli-process.ts";
import { until } from "../../support/poll.ts";
import { BackfillFixture, churn } from "./support.ts";

const ROWS = 20_000;

test("SIGKILL mid-backfill, run again: it resumes after the saved key and the replica ends equal", {
  timeout: 240_000,
}, async () => {
  const f = new BackfillFixture();
  let cli: CliProcess | undefined;
  try {
    await f.setup(ROWS);
    const args = ["flow", "backfill", f.name, "--config", f.configFile, "--chunk", "200"];
    cli = new CliProcess(args);
    const saved = await until(
      "some backfill progress to be saved",
      async () => {
        if (!cli?.running) throw new Error(`backfill exited early: ${cli?.stderr}`);
        const p = await f.savedProgress();
        return p !== undefined && p.rowsDone >= 2000 ? p : undefined;
      },
      { timeoutMs: 60_000, everyMs: 20 },
    );
    cli.child.kill("SIGKILL");
    await cli.exited(10_000);
    const atKill = await f.savedProgress();
    assert.ok(atKill !== undefined && !atKill.done, `killed mid-way (${JSON.stringify(atKill)})`);
    assert.ok(atKill.rowsDone >= saved.rowsDone);
    await churn(f.db, f.table, ROWS, 100); // changes while nothing runs: the slot keeps them

    cli = new CliProcess(args);
    const exit = await cli.exited(120_000);
    assert.equal(exit.code, 0, cli.stderr);
    const resumed = /\(resumed at ([\d,]+)\)/.exec(cli.stderr);
    assert.ok(resumed, `the re-run says where it resumed:\n${cli.stderr}`);
    assert.equal(Number(resumed[1]?.replaceAll(",", "")), atKill.rowsDone);
    const final = await f.savedProgress();
    assert.equal(final?.done, true);
    // The second run copied only the rows after the saved key (churn inserted at most 100 new keys).
    const copiedAgain = (final?.rowsDone ?? 0) - atKill.rowsDone;
    assert.ok(copiedAgain <= ROWS - atKill.rowsDone + 100, `second run copied ${copiedAgain}`);
    assert.deepEqual(await f.targetRows(), await f.sourceRows());
  } finally {
    if (cli?.running) {
      cli.child.kill("SIGKILL");
      await cli.exited(10_000).catch(() => undefined);
    }
    await f.cleanup();
  }
});
