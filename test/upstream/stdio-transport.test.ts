import assert from "node:assert/strict";
import { test } from "node:test";
import { StdioTransport } from "../../src/gateway/upstream/stdio-transport.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { alive } from "./support.ts";

const pending = Symbol("pending");
const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => "settled"), new Promise((r) => setTimeout(r, ms, pending))]);

test("send() waits for 'drain' when the child stops reading, and close() still ends it", async () => {
  // A child that never reads stdin: the pipe and the stream buffer fill up.
  const transport = new StdioTransport({
    name: "deaf",
    command: process.execPath,
    args: ["-e", "setTimeout(() => {}, 30000)"],
    env: {},
    cwd: undefined,
    logger: silentLogger(),
    termAfterMs: 100,
    killAfterMs: 500,
  });
  await transport.start();
  const filler = "x".repeat(64 * 1024);
  let last: Promise<void> = Promise.resolve();
  for (let i = 0; i < 64; i++) {
    last = transport.send({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { data: filler },
    });
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(
    await settledWithin(last, 200),
    pending,
    "send resolved although the child reads nothing",
  );
  const pid = transport.pid ?? -1;
  let closedWith: Error | undefined | null = null;
  transport.onclose = (error) => {
    closedWith = error;
  };
  await transport.close();
  assert.equal(closedWith, undefined, "a close we asked for is not an error");
  assert.equal(alive(pid), false);
  assert.equal(
    await settledWithin(last, 1000),
    "settled",
    "a send waiting for drain hangs after close",
  );
});

test("a process that exits on its own is reported with its exit code and last stderr line", async () => {
  const transport = new StdioTransport({
    name: "quitter",
    command: process.execPath,
    args: ["-e", "console.error('cannot open database'); process.exit(7)"],
    env: {},
    cwd: undefined,
    logger: silentLogger(),
  });
  const closed = new Promise<Error | undefined>((resolve) => {
    transport.onclose = resolve;
  });
  await transport.start();
  const error = await closed;
  assert.equal(error?.message, "exited with code 7 (last stderr line: cannot open database)");
  await assert.rejects(
    transport.send({ jsonrpc: "2.0", method: "ping", id: 1 }),
    /exited with code 7/,
  );
});
