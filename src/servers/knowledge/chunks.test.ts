import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { joinChunks } from "./chunks.ts";

test("overlapping chunks join into the original text", () => {
  const text = "The quick brown fox jumps over the lazy dog while the cat sleeps on the mat.";
  const chunks = [text.slice(0, 30), text.slice(20, 55), text.slice(45)];
  assert.equal(joinChunks(chunks), text);
});

test("chunks without overlap are separated by a newline", () => {
  assert.equal(joinChunks(["alpha beta", "gamma delta"]), "alpha beta\ngamma delta");
  assert.equal(joinChunks([]), "");
  assert.equal(joinChunks(["only"]), "only");
});

test("any text cut with a fixed overlap comes back whole", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 400 }),
      fc.integer({ min: 40, max: 120 }),
      (body, size) => {
        // A unique marker per position makes chance overlaps impossible.
        const text = [...body].map((c, i) => `${c}${i.toString(36)};`).join("");
        const overlap = 20;
        const chunks: string[] = [];
        for (let start = 0; start < text.length; start += size - overlap) {
          chunks.push(text.slice(start, start + size));
          if (start + size >= text.length) break;
        }
        assert.equal(joinChunks(chunks), text);
      },
    ),
  );
});
