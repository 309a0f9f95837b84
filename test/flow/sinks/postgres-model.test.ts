/**
 * Property: any valid history of inserts, updates (some leaving a TOASTed
 * column unchanged), deletes and primary-key changes, cut into batches and
 * delivered at least once (a prefix replayed from a transaction boundary),
 * leaves the replica equal to an in-memory map fed the same history once.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import type { ChangeBatch, ChangeEvent } from "../../../src/flow/events.ts";
import type { Sink } from "../../../src/flow/sink.ts";
import { createPostgresSink, postgresSinkOptions } from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { event } from "./support/events.ts";
import { createSchema, PG_URL, type TestSchema } from "./support/pg.ts";

type Model = Map<number, { v: string; n: number }>;
type Intent = { pick: number; kind: number; value: number };

/** Turns random intents into a valid history, applying each event to the model. */
function history(intents: Intent[], txSizes: number[]): { events: ChangeEvent[]; model: Model } {
  const model: Model = new Map();
  const events: ChangeEvent[] = [];
  let lsn = 0x1000n;
  let seq = 0;
  let txIndex = 0;
  for (const { pick, kind, value } of intents) {
    const id = (pick % 5) + 1;
    const current = model.get(id);
    const at = { lsn, seq };
    if (current === undefined) {
      model.set(id, { v: `v${value}`, n: value });
      events.push(
        event({ op: "insert", key: { id }, after: { id, v: `v${value}`, n: value }, ...at }),
      );
    } else if (kind === 0) {
      model.delete(id);
      events.push(event({ op: "delete", key: { id }, ...at }));
    } else if (kind === 1) {
      current.n = value;
      events.push(
        event({ op: "update", key: { id }, after: { id, n: value }, unchanged: ["v"], ...at }),
      );
    } else {
      const newId = ((id + value) % 5) + 1;
      if (newId !== id && model.has(newId)) continue;
      model.delete(id);
      model.set(newId, { v: `k${value}`, n: value });
      events.push(
        event({
          op: "update",
          key: { id: newId },
          previousKey: { id },
          after: { id: newId, v: `k${value}`, n: value },
          ...at,
        }),
      );
    }
    seq++;
    if (seq >= (txSizes[txIndex % txSizes.length] ?? 1)) {
      lsn += 0x10n;
      seq = 0;
      txIndex++;
    }
  }
  return { events, model };
}

/** Cuts the history into batches; a batch ending at a transaction's end carries its checkpoint. */
function batches(events: ChangeEvent[], cuts: number[]): ChangeBatch[] {
  const result: ChangeBatch[] = [];
  let start = 0;
  for (let i = 0; start < events.length; i++) {
    const end = Math.min(events.length, start + (cuts[i % cuts.length] ?? 1));
    const slice = events.slice(start, end);
    const last = slice[slice.length - 1]!;
    const next = events[end];
    const endsTx = next === undefined || next.source.commitLsn !== last.source.commitLsn;
    result.push({ events: slice, checkpoint: endsTx ? last.source.commitLsn : undefined });
    start = end;
  }
  return result;
}

/** Where a restart may resume: batch 0 or a batch after one that carried a checkpoint. */
function resumePoints(list: ChangeBatch[]): number[] {
  return [0, ...list.flatMap((b, i) => (b.checkpoint === undefined ? [] : [i + 1]))];
}

let schema: TestSchema;
let sink: Sink;
before(async () => {
  schema = await createSchema("pgmodel");
  await schema.db.query(`CREATE TABLE ${schema.name}.items (id int PRIMARY KEY, v text, n int)`);
  sink = createPostgresSink(
    "model",
    postgresSinkOptions.parse({ kind: "postgres", connectionString: PG_URL, schema: schema.name }),
    { logger: silentLogger(), flow: "model" },
  );
  await sink.start();
});
after(async () => {
  await sink.stop();
  await schema.drop();
});

async function snapshot(): Promise<unknown[]> {
  const result = await schema.db.query(`SELECT id, v, n FROM ${schema.name}.items ORDER BY id`);
  return result.rows;
}

test("replica equals the in-memory model under at-least-once delivery (property)", async () => {
  const intent = fc.record({ pick: fc.nat(20), kind: fc.nat(2), value: fc.nat(50) });
  await fc.assert(
    fc.asyncProperty(
      fc.array(intent, { minLength: 1, maxLength: 30 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
      fc.nat(),
      fc.nat(),
      async (intents, txSizes, cuts, crashSeed, resumeSeed) => {
        await schema.db.query(`TRUNCATE ${schema.name}.items`);
        await schema.db.query(`DELETE FROM ${schema.name}.sophia_flow_checkpoints`);
        const { events, model } = history(intents, txSizes);
        const list = batches(events, cuts);
        // Deliver up to a crash point, then resume from a boundary at or before it and go to the end.
        const crash = crashSeed % (list.length + 1);
        const points = resumePoints(list).filter((p) => p <= crash);
        const resume = points[resumeSeed % points.length]!;
        for (const b of list.slice(0, crash)) await sink.write(b);
        // Batches up to the last checkpoint before the crash are already covered: replaying them changes nothing.
        const covered = Math.max(...points);
        const atCrash = await snapshot();
        for (let i = resume; i < covered; i++) {
          await sink.write(list[i]!);
          assert.deepEqual(await snapshot(), atCrash, `replayed batch ${i} changed the replica`);
        }
        for (const b of list.slice(covered)) await sink.write(b);
        const expected = [...model].sort(([a], [b]) => a - b).map(([id, row]) => ({ id, ...row }));
        assert.deepEqual(await snapshot(), expected);
      },
    ),
    { numRuns: 150 },
  );
});
