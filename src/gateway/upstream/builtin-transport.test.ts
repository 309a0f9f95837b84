import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import { type BuiltinPeer, BuiltinTransport } from "./builtin-transport.ts";

/** A server that echoes every request's params as its result. */
function echoServer() {
  const state = { peer: undefined as BuiltinPeer | undefined, disconnects: 0, closedSeen: 0 };
  const connect = async (peer: BuiltinPeer) => {
    state.peer = peer;
    peer.onmessage = (message) => {
      if ("id" in message && "method" in message)
        void peer.send({ jsonrpc: "2.0", id: message.id, result: message.params ?? {} });
    };
    peer.onclose = () => state.closedSeen++;
    return async () => {
      state.disconnects++;
    };
  };
  return { state, connect };
}

test("messages cross as copies, answers arrive asynchronously", async () => {
  const { connect } = echoServer();
  const transport = new BuiltinTransport(connect);
  const received: JsonRpcMessage[] = [];
  transport.onmessage = (message) => received.push(message);
  await transport.start();
  const params = { nested: { n: 1 } };
  await transport.send({ jsonrpc: "2.0", id: 1, method: "echo", params });
  assert.equal(received.length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(received, [{ jsonrpc: "2.0", id: 1, result: { nested: { n: 1 } } }]);
  assert.notEqual((received[0] as { result: unknown }).result, params);
  await transport.close();
});

test("close ends both sides once; the server hanging up closes the gateway's side", async () => {
  const first = echoServer();
  const transport = new BuiltinTransport(first.connect);
  let closes = 0;
  transport.onclose = () => closes++;
  await transport.start();
  await Promise.all([transport.close(), transport.close()]);
  assert.deepEqual([closes, first.state.disconnects, first.state.closedSeen], [1, 1, 1]);
  await assert.rejects(transport.send({ jsonrpc: "2.0", method: "x" }), /closed/);

  const second = echoServer();
  const hungUp = new BuiltinTransport(second.connect);
  let hungUpCloses = 0;
  hungUp.onclose = () => hungUpCloses++;
  await hungUp.start();
  await second.state.peer?.close();
  assert.deepEqual([hungUpCloses, second.state.disconnects, second.state.closedSeen], [1, 1, 1]);
});
