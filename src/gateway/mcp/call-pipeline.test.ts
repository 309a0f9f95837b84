import assert from "node:assert/strict";
import { test } from "node:test";
import { ANONYMOUS } from "../auth/principal.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { type CallInfo, CallPipeline, type Interceptor } from "./call-pipeline.ts";

const call: CallInfo = {
  principal: ANONYMOUS,
  server: "s",
  kind: "tool",
  name: "t",
  exposedName: "s__t",
  arguments: undefined,
  params: { name: "t" },
  annotations: undefined,
  context: {
    signal: new AbortController().signal,
    onNotification() {},
    onServerRequest: () => Promise.resolve({ result: {} }),
  },
};
const answer: CallOutcome = { result: { content: [] } };

test("interceptors run in order around the call, and may answer without it", async () => {
  const seen: string[] = [];
  const tag =
    (name: string): Interceptor =>
    (_call, next) => {
      seen.push(`${name}>`);
      return next().then((outcome) => {
        seen.push(`<${name}`);
        return outcome;
      });
    };
  const pipeline = new CallPipeline({ interceptors: [tag("a"), tag("b")] });
  assert.equal(
    await pipeline.run(call, async () => {
      seen.push("call");
      return answer;
    }),
    answer,
  );
  assert.deepEqual(seen, ["a>", "b>", "call", "<b", "<a"]);
  const refusal: CallOutcome = { error: { code: 1, message: "no" } };
  const refusing = new CallPipeline({ interceptors: [() => Promise.resolve(refusal)] });
  let ran = false;
  assert.equal(
    await refusing.run(call, async () => {
      ran = true;
      return answer;
    }),
    refusal,
  );
  assert.equal(ran, false);
});

test("a synchronous throw, from an interceptor or the call, becomes a rejection", async () => {
  const throwing = new CallPipeline({
    interceptors: [
      () => {
        throw new Error("interceptor broke");
      },
    ],
  });
  const result = throwing.run(call, async () => answer);
  assert.ok(result instanceof Promise);
  await assert.rejects(result, /interceptor broke/);
  const passing = new CallPipeline({ interceptors: [(_c, next) => next()] });
  await assert.rejects(
    passing.run(call, () => {
      throw new Error("call broke");
    }),
    /call broke/,
  );
});

test("next() called twice is refused: the call is never sent upstream twice", async () => {
  let calls = 0;
  const twice = new CallPipeline({
    interceptors: [(_c, next) => next().then(() => next())],
  });
  await assert.rejects(
    twice.run(call, async () => {
      calls++;
      return answer;
    }),
    /next\(\) twice/,
  );
  assert.equal(calls, 1);
});
