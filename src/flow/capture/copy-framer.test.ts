import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { cutAt } from "../../../test/support/chunks.ts";
import { CopyFramer } from "./copy-framer.ts";

function message(type: string, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out.write(type, 0, "latin1");
  out.writeUInt32BE(4 + payload.length, 1);
  out.set(payload, 5);
  return out;
}

/** What the framer reported, in order: CopyData payloads copied out, other messages whole. */
function collect(chunks: Buffer[]): string[] {
  const seen: string[] = [];
  const framer = new CopyFramer(
    (buf, start, end) => seen.push(`d:${buf.subarray(start, end).toString("hex")}`),
    (whole) => seen.push(`other:${whole.toString("hex")}`),
  );
  for (const chunk of chunks) framer.push(chunk);
  return seen;
}

test("property: any split of a message stream gives the same messages, CopyData payloads and the rest whole", () => {
  const arbMessage = fc.record({
    type: fc.constantFrom("d", "d", "d", "W", "E", "C", "Z", "c", "N"),
    payload: fc.uint8Array({ maxLength: 300 }),
  });
  fc.assert(
    fc.property(
      fc.array(arbMessage, { minLength: 1, maxLength: 20 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      (messages, cuts) => {
        const wire = messages.map((m) => message(m.type, m.payload));
        const expected = messages.map((m, i) =>
          m.type === "d"
            ? `d:${Buffer.from(m.payload).toString("hex")}`
            : `other:${(wire[i] as Buffer).toString("hex")}`,
        );
        assert.deepEqual(collect(cutAt(Buffer.concat(wire), cuts)), expected);
      },
    ),
  );
});

test("a message larger than many chunks arrives once, complete", () => {
  const big = Buffer.alloc(200_000, 7);
  const wire = Buffer.concat([message("d", big), message("d", Buffer.from([1, 2]))]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < wire.length; at += 1000) chunks.push(wire.subarray(at, at + 1000));
  const seen: number[] = [];
  const framer = new CopyFramer(
    (_buf, start, end) => seen.push(end - start),
    () => assert.fail("no other message"),
  );
  for (const chunk of chunks) framer.push(chunk);
  assert.deepEqual(seen, [200_000, 2]);
});

test("an impossible length is a FLOW_PROTOCOL error naming it", () => {
  const framer = new CopyFramer(
    () => {},
    () => {},
  );
  const bad = Buffer.from([0x64, 0, 0, 0, 2, 9, 9]);
  assert.throws(() => framer.push(bad), { code: "FLOW_PROTOCOL", message: /impossible length 2/ });
});
