import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JsonRpcId, JsonRpcMessage, JsonRpcResponse } from "../jsonrpc/messages.ts";
import { Session } from "../session/session.ts";
import { ModernCall, type Round } from "./modern-call.ts";

class Reply {
  readonly sent: JsonRpcMessage[] = [];
  ended: JsonRpcResponse | undefined;
  open = true;
  send(message: JsonRpcMessage): void {
    this.sent.push(message);
  }
  end(response: JsonRpcResponse): void {
    this.ended = response;
  }
}

function round(id: JsonRpcId, progressToken?: string | number): Round & { reply: Reply } {
  return { id, progressToken, reply: new Reply() };
}

function setup(canAsk = true, logLevel?: "info") {
  const session = new Session(
    "m",
    { kind: "aggregate" },
    { protocolVersion: "2026-07-28", capabilities: {}, clientInfo: undefined },
  );
  session.logLevel = logLevel;
  const answers: JsonRpcResponse[] = [];
  const states: string[] = [];
  let done = 0;
  const call = new ModernCall(session, "tools/call", canAsk, {
    answer: (response) => void answers.push(response),
    park: () => {
      states.push(`state-${states.length + 1}`);
      return states.at(-1)!;
    },
    encode: (response, id) => ({ ...response, id }),
    done: () => void done++,
  });
  return { call, answers, states, done: () => done };
}

const tick = () => new Promise((r) => setImmediate(r));
const result = (r: Round & { reply: Reply }) =>
  (r.reply.ended as { result: Record<string, unknown> } | undefined)?.result;

describe("ModernCall: a 2026-07-28 request across input_required rounds", () => {
  test("requests an upstream sends in one tick go out together, then the retry's answers go upstream", async () => {
    const { call, answers } = setup();
    const first = round(1);
    call.attach(first);
    call.send({
      jsonrpc: "2.0",
      id: "r1",
      method: "sampling/createMessage",
      params: { maxTokens: 5 },
    });
    call.send({ jsonrpc: "2.0", id: "r2", method: "roots/list" });
    await tick();
    assert.deepEqual(result(first), {
      resultType: "input_required",
      inputRequests: {
        r1: { method: "sampling/createMessage", params: { maxTokens: 5 } },
        r2: { method: "roots/list" },
      },
      requestState: "state-1",
    });
    const second = round(2);
    call.attach(second, { r1: { role: "assistant" }, r2: { roots: [] } });
    assert.deepEqual(
      answers.map((a) => a.id),
      ["r1", "r2"],
    );
    call.finish({ jsonrpc: "2.0", id: 1, result: { content: [] } });
    assert.deepEqual(second.reply.ended, { jsonrpc: "2.0", id: 2, result: { content: [] } });
  });

  test("a request the retry left unanswered is asked again in the next round", async () => {
    const { call, answers } = setup();
    const first = round(1);
    call.attach(first);
    call.send({ jsonrpc: "2.0", id: "r1", method: "elicitation/create", params: {} });
    await tick();
    const second = round(2);
    call.attach(second, {});
    await tick();
    assert.equal(answers.length, 0);
    assert.deepEqual(Object.keys(result(second)?.inputRequests as object), ["r1"]);
    assert.equal(result(second)?.requestState, "state-2");
  });

  test("an answer that arrives while parked is delivered when the client comes back", async () => {
    const { call, done } = setup();
    call.attach(round(1));
    call.send({ jsonrpc: "2.0", id: "r1", method: "elicitation/create", params: {} });
    await tick();
    call.finish({ jsonrpc: "2.0", id: 1, error: { code: -32001, message: "upstream gone" } });
    assert.equal(done(), 0);
    const back = round(5);
    call.attach(back, { r1: { action: "cancel" } });
    assert.deepEqual(back.reply.ended, {
      jsonrpc: "2.0",
      id: 5,
      error: { code: -32001, message: "upstream gone" },
    });
    assert.equal(done(), 1);
  });

  test("progress goes out under the current exchange's token; log lines only with a level", () => {
    const quiet = setup();
    const r = round(1, "tok-a");
    quiet.call.attach(r);
    quiet.call.send({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: "orig", progress: 1 },
    });
    quiet.call.send({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { level: "info", data: "x" },
    });
    assert.deepEqual(r.reply.sent, [
      {
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: "tok-a", progress: 1 },
      },
    ]);
    const chatty = setup(true, "info");
    const noToken = round(1);
    chatty.call.attach(noToken);
    chatty.call.send({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: "orig", progress: 1 },
    });
    chatty.call.send({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { level: "info", data: "x" },
    });
    assert.deepEqual(
      noToken.reply.sent.map((m) => ("method" in m ? m.method : "")),
      ["notifications/message"],
    );
  });

  test("outside the methods that may ask, a relayed request is refused at once", async () => {
    const { call, answers } = setup(false);
    const r = round(1);
    call.attach(r);
    call.send({ jsonrpc: "2.0", id: "r1", method: "sampling/createMessage", params: {} });
    await tick();
    assert.equal(r.reply.ended, undefined);
    assert.equal((answers[0] as { error: { code: number } }).error.code, -32601);
  });

  test("a relayed request the upstream cancels before it went out is never shown", async () => {
    const { call } = setup();
    const r = round(1);
    call.attach(r);
    call.send({ jsonrpc: "2.0", id: "r1", method: "roots/list" });
    call.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "r1" } });
    await tick();
    assert.equal(r.reply.ended, undefined);
    assert.equal(r.reply.sent.length, 0);
  });

  test("abandoning releases the call once and stops everything after", () => {
    const { call, done } = setup();
    const r = round(1);
    call.attach(r);
    assert.equal(call.serving(r), true);
    call.abandon();
    call.abandon();
    call.finish({ jsonrpc: "2.0", id: 1, result: {} });
    assert.equal(done(), 1);
    assert.equal(call.open, false);
    assert.equal(r.reply.ended, undefined);
  });
});
