import assert from "node:assert/strict";
import { test } from "node:test";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { createLogger } from "../../../src/shared/logger.ts";
import { collect, fixture, sleep } from "./support.ts";

test("reconnect after pg_terminate_backend of the walsender: no change lost, retries logged", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
  const lines: string[] = [];
  const logger = createLogger({
    level: "warn",
    destination: { write: (line: string) => lines.push(line) },
  });
  const stream = await openCapture(fx.options(), logger);
  try {
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (1)`);
    const before = await collect(stream, 1);
    // Not acknowledged: the server will send row 1 again; capture must not hand it over twice.
    const { rows } = await fx.db.query<{ pid: number }>(
      "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1",
      [fx.name],
    );
    const pid = rows[0]?.pid;
    assert.ok(pid !== undefined && pid !== null, "the slot is active");
    await fx.db.query("SELECT pg_terminate_backend($1)", [pid]);
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (2)`);
    const after = await collect(stream, 1, { ack: true, timeoutMs: 30_000 });
    assert.deepEqual(
      [...before.events, ...after.events].map((e) => e.key.id),
      [1, 2],
    );
    let newPid: number | null = null;
    for (let i = 0; i < 50 && (newPid === null || newPid === pid); i++) {
      const r = await fx.db.query<{ pid: number | null }>(
        "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1",
        [fx.name],
      );
      newPid = r.rows[0]?.pid ?? null;
      await sleep(100);
    }
    assert.ok(newPid !== null && newPid !== pid, "a new walsender holds the slot");
    assert.ok(
      lines.some((line) => line.includes("reconnecting")),
      "the retry was logged",
    );
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});
