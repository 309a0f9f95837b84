// Proves that the services the integration tests rely on answer on this machine, over their real protocols.
// scripts/services.sh starts them and exports SOPHIA_TEST_*; the defaults are this machine's standard ports.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { promisify } from "node:util";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.SOPHIA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const NATS_URL = process.env.SOPHIA_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const LINE_TIMEOUT_MS = 5_000;

const run = promisify(execFile);

async function sql(...statements: string[]): Promise<string[]> {
  const args = ["-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", PG_URL];
  for (const statement of statements) args.push("-c", statement);
  const { stdout } = await run("psql", args, { timeout: 20_000 });
  return stdout.trim().split("\n");
}

type LineSocket = {
  next: () => Promise<string>;
  send: (text: string) => void;
  close: () => void;
};

// A CRLF line reader over TCP: enough for Redis' RESP and NATS' text protocol.
async function openLines(url: string): Promise<LineSocket> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.setEncoding("utf8");
  await once(socket, "connect", { signal: AbortSignal.timeout(LINE_TIMEOUT_MS) });
  let buffer = "";
  socket.on("data", (chunk: string) => {
    buffer += chunk;
  });
  const next = async (): Promise<string> => {
    const deadline = Date.now() + LINE_TIMEOUT_MS;
    while (!buffer.includes("\r\n")) {
      const left = deadline - Date.now();
      const arrived = await once(socket, "data", {
        signal: AbortSignal.timeout(Math.max(left, 1)),
      }).then(
        () => true,
        () => false,
      );
      if (!arrived) throw new Error(`no reply line from ${url} within ${LINE_TIMEOUT_MS} ms`);
    }
    const end = buffer.indexOf("\r\n");
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    return line;
  };
  return { next, send: (text) => socket.write(text), close: () => socket.destroy() };
}

function resp(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join("")}`;
}

describe("PostgreSQL", () => {
  test("runs with wal_level=logical and room for replication slots", async () => {
    const [walLevel, slots, senders] = await sql(
      "show wal_level",
      "show max_replication_slots",
      "show max_wal_senders",
    );
    assert.equal(walLevel, "logical");
    assert.ok(Number(slots) >= 10, `max_replication_slots is ${slots}`);
    assert.ok(Number(senders) >= 10, `max_wal_senders is ${senders}`);
  });

  test("creates a temporary pgoutput slot that is gone after the session", async () => {
    const slot = `sophia_services_probe_${process.pid}`;
    const [created, listed] = await sql(
      `select slot_name from pg_create_logical_replication_slot('${slot}', 'pgoutput', true)`,
      `select count(*) from pg_replication_slots where slot_name = '${slot}' and temporary`,
    );
    assert.equal(created, slot);
    assert.equal(listed, "1");
    const [after] = await sql(
      `select count(*) from pg_replication_slots where slot_name = '${slot}'`,
    );
    assert.equal(after, "0");
  });
});

describe("Redis", () => {
  test("answers PING and round-trips a value", async () => {
    const redis = await openLines(REDIS_URL);
    try {
      const key = `sophia:test:services:${process.pid}`;
      redis.send(resp("PING"));
      assert.equal(await redis.next(), "+PONG");
      redis.send(resp("SET", key, "hello", "PX", "10000"));
      assert.equal(await redis.next(), "+OK");
      redis.send(resp("GET", key));
      assert.equal(await redis.next(), "$5");
      assert.equal(await redis.next(), "hello");
      redis.send(resp("DEL", key));
      assert.equal(await redis.next(), ":1");
    } finally {
      redis.close();
    }
  });
});

describe("NATS", () => {
  test("answers PING and has JetStream enabled", async () => {
    const nats = await openLines(NATS_URL);
    try {
      assert.match(await nats.next(), /^INFO /);
      nats.send('CONNECT {"verbose":false,"pedantic":false,"name":"sophia-test"}\r\nPING\r\n');
      assert.equal(await nats.next(), "PONG");
      nats.send("SUB _INBOX.sophia.test 1\r\nPUB $JS.API.INFO _INBOX.sophia.test 0\r\n\r\n");
      const info = await readJetStreamReply(nats);
      assert.equal(info.type, "io.nats.jetstream.api.v1.account_info_response");
      assert.equal(
        info.error,
        undefined,
        `JetStream answered with an error: ${JSON.stringify(info)}`,
      );
    } finally {
      nats.close();
    }
  });
});

async function readJetStreamReply(nats: LineSocket): Promise<Record<string, unknown>> {
  for (let i = 0; i < 10; i++) {
    const line = await nats.next().catch((error: unknown) => {
      throw new Error(
        `no reply to $JS.API.INFO: ${String(error)}; is JetStream on (nats-server -js)?`,
      );
    });
    if (line === "PING") nats.send("PONG\r\n");
    if (line.startsWith("-ERR")) throw new Error(`NATS refused the request: ${line}`);
    if (line.startsWith("MSG ")) return JSON.parse(await nats.next()) as Record<string, unknown>;
  }
  throw new Error(
    "NATS sent no reply to $JS.API.INFO within 10 lines; is JetStream enabled (-js)?",
  );
}
