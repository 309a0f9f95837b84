import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChangeEvent } from "../events.ts";
import { Assembler } from "./assembler.ts";
import { type PgoutputMessage, UNCHANGED } from "./pgoutput.ts";
import { RelationCache } from "./relations.ts";

function harness(keys = new Map<string, string[]>()) {
  const events: ChangeEvent[] = [];
  const commits: bigint[] = [];
  const assembler = new Assembler(new RelationCache(keys), {
    event: (e) => events.push(e),
    commit: (lsn) => commits.push(lsn),
  });
  const push = (...messages: PgoutputMessage[]) => {
    for (const m of messages) assembler.push(m);
  };
  push({
    tag: "relation",
    relationId: 1,
    schema: "s",
    table: "t",
    replicaIdentity: "f",
    columns: [
      { isKey: true, name: "id", typeOid: 23, typeMod: -1 },
      { isKey: true, name: "body", typeOid: 25, typeMod: -1 },
      { isKey: true, name: "n", typeOid: 23, typeMod: -1 },
    ],
  });
  return { assembler, events, commits, push };
}

const begin = (finalLsn: bigint): PgoutputMessage => ({
  tag: "begin",
  finalLsn,
  commitTimeMs: 5,
  xid: 9,
});
const commit = (endLsn: bigint): PgoutputMessage => ({
  tag: "commit",
  flags: 0,
  commitLsn: endLsn - 1n,
  endLsn,
  commitTimeMs: 5,
});
const insert = (id: string): PgoutputMessage => ({
  tag: "insert",
  relationId: 1,
  newTuple: [id, "x", "0"],
});

test("unchanged TOAST: merged from a full old row, otherwise omitted and listed, never a placeholder", () => {
  const { events, push } = harness(new Map([["s.t", ["id"]]]));
  push(
    begin(10n),
    {
      tag: "update",
      relationId: 1,
      oldKind: "O",
      oldTuple: ["1", "big", "1"],
      newTuple: ["1", UNCHANGED, "2"],
    },
    {
      tag: "update",
      relationId: 1,
      oldKind: null,
      oldTuple: null,
      newTuple: ["1", UNCHANGED, "3"],
    },
    commit(20n),
  );
  assert.deepEqual(events[0]?.after, { id: 1, body: "big", n: 2 });
  assert.equal(events[0]?.unchanged, undefined);
  assert.deepEqual(
    events[0]?.key,
    { id: 1 },
    "the known primary key, not every FULL identity column",
  );
  assert.deepEqual(events[1]?.after, { id: 1, n: 3 });
  assert.deepEqual(events[1]?.unchanged, ["body"]);
  assert.equal(Object.hasOwn(events[1]?.after ?? {}, "body"), false);
});

test("primary key change carries previousKey", () => {
  const { events, push } = harness(new Map([["s.t", ["id"]]]));
  push(
    begin(10n),
    {
      tag: "update",
      relationId: 1,
      oldKind: "K",
      oldTuple: ["1", null, null],
      newTuple: ["2", "x", "0"],
    },
    commit(20n),
  );
  assert.deepEqual(events[0]?.key, { id: 2 });
  assert.deepEqual(events[0]?.previousKey, { id: 1 });
  assert.deepEqual(events[0]?.before, { id: 1 });
});

test("seq numbers events within a transaction; commitLsn is one past the commit record", () => {
  const { events, commits, push } = harness();
  push(begin(10n), insert("1"), insert("2"), commit(20n), begin(30n), insert("3"), commit(40n));
  assert.deepEqual(
    events.map((e) => [e.source.seq, e.source.commitLsn]),
    [
      [0, 11n],
      [1, 11n],
      [0, 31n],
    ],
  );
  assert.deepEqual(commits, [20n, 40n]);
});

test("replay after reconnect skips what was already emitted, in full and in part", () => {
  const { assembler, events, commits, push } = harness();
  push(begin(10n), insert("1"), commit(20n), begin(30n), insert("2"), insert("3"));
  assembler.prepareForReplay();
  // The server restarts from its flushed position: both transactions arrive again.
  push(
    begin(10n),
    insert("1"),
    commit(20n),
    begin(30n),
    insert("2"),
    insert("3"),
    insert("4"),
    commit(40n),
  );
  assert.deepEqual(
    events.map((e) => e.key.id),
    [1, 2, 3, 4],
  );
  assert.deepEqual(commits, [20n, 40n]);
});
