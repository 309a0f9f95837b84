import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { createNatsSink, natsSinkOptions } from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event, uniqueName } from "./support/events.ts";

const NATS_URL = process.env.SOPHIA_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const logger = silentLogger();
const id = uniqueName("t").replace(/[^A-Za-z0-9_]/g, "_");
const streamName = `S_${id}`;
const prefix = `sophia_${id}`;
let nc: NatsConnection;

before(async () => {
  nc = await connect({ servers: NATS_URL });
});
after(async () => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(streamName).catch(() => undefined);
  await nc.close();
});

const insert = (key: number, lsn: bigint, seq = 0) =>
  event({ op: "insert", key: { id: key }, after: { id: key }, lsn, seq, table: "my.items" });

describe("nats jetstream sink", () => {
  test("creates the stream, publishes to <prefix>.<schema>.<table>.<op> with Nats-Msg-Id; redeliveries are dropped", async () => {
    const options = natsSinkOptions.parse({
      kind: "nats",
      servers: NATS_URL,
      subjectPrefix: prefix,
      stream: { name: streamName },
    });
    const sink = createNatsSink("bus", options, { logger, flow: "f" });
    await sink.start();
    try {
      const first = batch([
        insert(1, 0x10n),
        insert(2, 0x10n, 1),
        event({ op: "delete", key: { id: 1 }, lsn: 0x20n, table: "my.items" }),
      ]);
      await sink.write(first);
      await sink.write(first); // redelivered: same message ids
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(streamName);
      assert.equal(info.state.messages, 3);
      const message = await jsm.streams.getMessage(streamName, { seq: 3 });
      assert.equal(message?.subject, `${prefix}.public.my_items.delete`);
      assert.equal(message?.header.get("Nats-Msg-Id"), "public.my.items:20:0");
      assert.equal(message?.json<{ commitLsn: string }>().commitLsn, "0/20");
    } finally {
      await sink.stop();
    }
  });

  test("publishes a large batch pipelined (all acks awaited)", async () => {
    const options = natsSinkOptions.parse({
      kind: "nats",
      servers: NATS_URL,
      subjectPrefix: prefix,
      stream: { name: streamName },
    });
    const sink = createNatsSink("bus", options, { logger, flow: "f" });
    await sink.start();
    try {
      const events = Array.from({ length: 5000 }, (_, i) => insert(i, 0x1000n + BigInt(i)));
      const started = performance.now();
      await sink.write(batch(events));
      const ms = performance.now() - started;
      const info = await (await jetstreamManager(nc)).streams.info(streamName);
      assert.equal(info.state.messages, 5003);
      console.log(
        `# nats: 5000 events acked in ${ms.toFixed(0)} ms (${Math.round(5000 / (ms / 1000))} events/s)`,
      );
    } finally {
      await sink.stop();
    }
  });

  test("a missing stream with create: false fails start naming the fix", async () => {
    const options = natsSinkOptions.parse({
      kind: "nats",
      servers: NATS_URL,
      subjectPrefix: `${prefix}_none`,
      stream: { name: `${streamName}_none`, create: false },
    });
    const sink = createNatsSink("bus", options, { logger, flow: "f" });
    await assert.rejects(sink.start(), /does not exist/);
    await sink.stop();
  });
});
