import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createSseParser } from "./sse.ts";

function parseAll(chunks: string[]): string[] {
  const events: string[] = [];
  const parser = createSseParser((data) => events.push(data));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("createSseParser", () => {
  test("dispatches one event per blank line and skips other fields", () => {
    const body = 'event: message\nid: 1\ndata: {"id":1}\n\n: comment\ndata: {"id":2}\n\n';
    assert.deepEqual(parseAll([body]), ['{"id":1}', '{"id":2}']);
  });

  test("joins multi-line data and handles CRLF", () => {
    assert.deepEqual(parseAll(["data: a\r\ndata:b\r\n\r\n"]), ["a\nb"]);
  });

  test("reassembles events split at every byte", () => {
    const body = 'data: {"jsonrpc":"2.0","id":7,"result":{}}\n\ndata: x\n\n';
    assert.deepEqual(parseAll([...body]), ['{"jsonrpc":"2.0","id":7,"result":{}}', "x"]);
  });

  test("holds back an event until its blank line arrives", () => {
    assert.deepEqual(parseAll(["data: pending\n"]), []);
  });
});
