import assert from "node:assert/strict";
import { test } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { fatalReplicationError } from "./errors.ts";
import { checkSlot } from "./slot.ts";

const ok = {
  plugin: "pgoutput",
  database: "db",
  current_db: "db",
  active_pid: null,
  wal_status: "reserved",
};

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    return isSophiaError(error) ? error.code : "other";
  }
  return undefined;
}

test("slot checks: plugin, database, invalidated, in use", () => {
  assert.equal(
    codeOf(() => checkSlot("s", ok)),
    undefined,
  );
  assert.equal(
    codeOf(() => checkSlot("s", { ...ok, plugin: "test_decoding" })),
    "FLOW_SOURCE_NOT_READY",
  );
  assert.equal(
    codeOf(() => checkSlot("s", { ...ok, database: "other" })),
    "FLOW_SOURCE_NOT_READY",
  );
  assert.equal(
    codeOf(() => checkSlot("s", { ...ok, wal_status: "lost" })),
    "FLOW_SLOT_INVALIDATED",
  );
  assert.equal(
    codeOf(() => checkSlot("s", { ...ok, active_pid: 4242 })),
    "FLOW_SLOT_IN_USE",
  );
  try {
    checkSlot("s", { ...ok, wal_status: "lost" });
  } catch (error) {
    assert.match(
      (error as { hint: string }).hint,
      /pg_drop_replication_slot\('s'\).*sophia flow backfill <flow>/,
    );
  }
});

test("replication errors: which end the stream and which are retried", () => {
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
  const inUse = pgError("55006", 'replication slot "s" is active for PID 77');
  assert.equal(fatalReplicationError(inUse, "s", true)?.code, "FLOW_SLOT_IN_USE");
  assert.match(fatalReplicationError(inUse, "s", true)?.message ?? "", /pid 77/);
  assert.equal(
    fatalReplicationError(inUse, "s", false),
    undefined,
    "our own old walsender may still hold it",
  );
  const lost = pgError("55000", 'can no longer get changes from replication slot "s"');
  assert.equal(fatalReplicationError(lost, "s", false)?.code, "FLOW_SLOT_INVALIDATED");
  assert.equal(
    fatalReplicationError(pgError("42704", "no slot"), "s", false)?.code,
    "FLOW_SOURCE_NOT_READY",
  );
  assert.equal(
    fatalReplicationError(new Error("Connection terminated unexpectedly"), "s", false),
    undefined,
  );
  assert.equal(
    fatalReplicationError(pgError("57P01", "terminating connection"), "s", false),
    undefined,
  );
});
