import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import { DEFAULT_RETRY_MS, MAX_RETRY_MS, messageParser, retryDelay } from "./http-common.ts";

describe("messageParser", () => {
  test("skips a priming event (id, empty data) silently and keeps its id and retry", () => {
    const messages: JsonRpcMessage[] = [];
    const errors: Error[] = [];
    const parser = messageParser(
      "s",
      (m) => messages.push(m),
      (e) => errors.push(e),
    );
    parser.push("id: p-1\nretry: 500\ndata: \n\n");
    assert.deepEqual(messages, []);
    assert.deepEqual(errors, []);
    assert.equal(parser.lastEventId, "p-1");
    assert.equal(parser.retryMs, 500);
  });

  test("still decodes messages after a priming event and still reports data that is not JSON", () => {
    const messages: JsonRpcMessage[] = [];
    const errors: Error[] = [];
    const parser = messageParser(
      "s",
      (m) => messages.push(m),
      (e) => errors.push(e),
    );
    parser.push(
      'id: p-1\ndata:\n\nid: p-2\ndata: {"jsonrpc":"2.0","method":"x"}\n\ndata: oops\n\n',
    );
    assert.deepEqual(messages, [{ jsonrpc: "2.0", method: "x" }]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? "", /server s sent an event that is not JSON/);
    assert.equal(parser.lastEventId, "p-2");
  });
});

describe("retryDelay", () => {
  test("uses the server's retry, a default without one, and never more than the ceiling", () => {
    assert.equal(retryDelay(undefined), DEFAULT_RETRY_MS);
    assert.equal(retryDelay(0), 0);
    assert.equal(retryDelay(250), 250);
    assert.equal(retryDelay(10 ** 9), MAX_RETRY_MS);
  });
});
