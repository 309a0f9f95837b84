import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { cutAt } from "../../../test/support/chunks.ts";
import { LineSplitter } from "./line-splitter.ts";

function collect(maxLineBytes?: number) {
  const lines: string[] = [];
  const oversized: number[] = [];
  const splitter = new LineSplitter(
    { line: (text) => lines.push(text), oversize: (bytes) => oversized.push(bytes) },
    maxLineBytes,
  );
  return { splitter, lines, oversized };
}

describe("LineSplitter", () => {
  test("splits lines in one chunk, strips CR, skips empty lines", () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('{"a":1}\n\r\n{"b":2}\r\n\n{"c"'));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
    splitter.push(Buffer.from(":3}\n"));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
    assert.equal(splitter.pendingBytes, 0);
  });

  test("keeps a multi-byte character split across chunks intact", () => {
    const { splitter, lines } = collect();
    const bytes = Buffer.from('{"t":"é😀"}\n');
    for (let i = 0; i < bytes.length; i++) splitter.push(bytes.subarray(i, i + 1));
    assert.deepEqual(lines, ['{"t":"é😀"}']);
  });

  test("drops a line over the limit, in one chunk or many, and recovers after it", () => {
    const { splitter, lines, oversized } = collect(10);
    splitter.push(Buffer.from("0123456789ABC\nok\n"));
    splitter.push(Buffer.from("0123456"));
    splitter.push(Buffer.from("789abcdef"));
    splitter.push(Buffer.from("ghij\nfine\n"));
    assert.deepEqual(lines, ["ok", "fine"]);
    assert.deepEqual(oversized, [13, 20]);
  });

  test("a line exactly at the limit passes", () => {
    const { splitter, lines, oversized } = collect(4);
    splitter.push(Buffer.from("ab"));
    splitter.push(Buffer.from("cd\n"));
    assert.deepEqual(lines, ["abcd"]);
    assert.deepEqual(oversized, []);
  });

  test("property: any split of a stream of messages yields the same messages", () => {
    const message = fc
      .record({ id: fc.nat(), text: fc.string({ unit: "binary", maxLength: 40 }) })
      .map((m) => JSON.stringify({ jsonrpc: "2.0", id: m.id, result: { text: m.text } }));
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        (messages, offsets, crlf) => {
          const bytes = Buffer.from(messages.map((m) => m + (crlf ? "\r\n" : "\n")).join(""));
          const { splitter, lines, oversized } = collect();
          for (const chunk of cutAt(bytes, offsets)) splitter.push(chunk);
          assert.deepEqual(lines, messages);
          assert.deepEqual(oversized, []);
          assert.equal(splitter.pendingBytes, 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
