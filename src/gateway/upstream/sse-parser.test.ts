import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { cutAt } from "../../../test/support/chunks.ts";
import { type SseEvent, SseParser } from "./sse-parser.ts";

function parse(chunks: Array<string | Uint8Array>): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

describe("SseParser", () => {
  test("dispatches message events, named events, ids and multi-line data", () => {
    const { events, parser } = parse([
      ": keep-alive\n\nevent: endpoint\ndata: /messages?s=1\n\n",
      'id: 7\ndata: {"a":1}\n\ndata: line1\ndata:line2\n\n',
      "retry: 1500\n\n",
    ]);
    assert.deepEqual(events, [
      { event: "endpoint", data: "/messages?s=1", id: undefined },
      { event: "message", data: '{"a":1}', id: "7" },
      { event: "message", data: "line1\nline2", id: "7" },
    ]);
    assert.equal(parser.retryMs, 1500);
  });

  test("accepts CR, LF and CRLF line endings, also a CRLF split across chunks", () => {
    const { events } = parse(["data: a\r", "\n\r", "\ndata: b\r\rdata: c\n\n"]);
    assert.deepEqual(
      events.map((e) => e.data),
      ["a", "b", "c"],
    );
  });

  test("does not dispatch an event without data, nor an unfinished one", () => {
    const { events } = parse(["event: x\n\nid: 1\n\ndata: unfinished"]);
    assert.deepEqual(events, []);
  });

  test("decodes UTF-8 split across byte chunks", () => {
    const bytes = new TextEncoder().encode("data: é😀\n\n");
    const { events } = parse([...bytes].map((b) => Uint8Array.of(b)));
    assert.equal(events[0]?.data, "é😀");
  });

  test("property: any split of an event stream yields the same events", () => {
    const payload = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
    const endings = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(
        fc.array(fc.record({ data: payload, eol: endings }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (items, offsets) => {
          const text = items.map((i) => `data: ${i.data}${i.eol}${i.eol}`).join("");
          const bytes = new TextEncoder().encode(text);
          const { events } = parse(cutAt(bytes, offsets));
          assert.deepEqual(
            events.map((e) => e.data),
            items.map((i) => i.data),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
