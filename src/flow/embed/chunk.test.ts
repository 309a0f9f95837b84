import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { chunkRanges, chunkText } from "./chunk.ts";

describe("chunkText", () => {
  it("keeps short text whole and trims it", () => {
    assert.deepEqual(chunkText("  hello world \n", { size: 100, overlap: 10 }), ["hello world"]);
    assert.deepEqual(chunkText(" \n ", { size: 100, overlap: 10 }), []);
  });

  it("prefers paragraph, then sentence boundaries", () => {
    const text = `${"a".repeat(60)}.\n\n${"b ".repeat(30)}end. ${"c".repeat(40)}`;
    const chunks = chunkText(text, { size: 100, overlap: 0 });
    assert.equal(chunks[0], `${"a".repeat(60)}.`);
    assert.ok(chunks[1]?.endsWith("end."), chunks[1]);
  });

  it("overlaps by about `overlap` characters, starting at a word", () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const chunks = chunkText(words, { size: 120, overlap: 30 });
    for (let i = 1; i < chunks.length; i++) {
      const first = chunks[i]!.split(" ")[0]!;
      assert.ok(
        chunks[i - 1]!.includes(` ${first} `) || chunks[i - 1]!.endsWith(` ${first}`),
        first,
      );
    }
  });

  it("cuts a word longer than the size", () => {
    assert.deepEqual(chunkText("x".repeat(25), { size: 10, overlap: 0 }), [
      "x".repeat(10),
      "x".repeat(10),
      "x".repeat(5),
    ]);
  });

  it("property: chunks fit, cover every non-space character, and are deterministic", () => {
    const text = fc.stringMatching(/^[a-z .\n!]{0,600}$/);
    const sizes = fc
      .integer({ min: 8, max: 200 })
      .chain((size) =>
        fc.record({ size: fc.constant(size), overlap: fc.integer({ min: 0, max: size - 1 }) }),
      );
    fc.assert(
      fc.property(text, sizes, (t, options) => {
        const ranges = chunkRanges(t, options);
        const covered = new Uint8Array(t.length);
        for (const r of ranges) {
          assert.ok(r.end - r.start <= options.size && r.end > r.start);
          covered.fill(1, r.start, r.end);
        }
        for (let i = 0; i < t.length; i++)
          if (!/\s/.test(t[i]!)) assert.equal(covered[i], 1, `index ${i}`);
        assert.deepEqual(chunkRanges(t, options), ranges);
        for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i]!.start > ranges[i - 1]!.start);
      }),
      { numRuns: 300 },
    );
  });
});
