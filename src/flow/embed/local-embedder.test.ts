import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cosine, createLocalEmbedder, hashEmbed } from "./local-embedder.ts";

describe("local embedder", () => {
  it("scores similar texts higher than unrelated ones", async () => {
    const embedder = createLocalEmbedder();
    const [fox, foxes, revenue] = await embedder.embed([
      "The quick brown fox jumps over the lazy dog",
      "A quick brown fox jumped over a lazy dog",
      "Quarterly revenue grew in the European market",
    ]);
    const similar = cosine(fox!, foxes!);
    const unrelated = cosine(fox!, revenue!);
    assert.ok(similar > 0.5, `similar ${similar}`);
    assert.ok(similar > unrelated + 0.3, `similar ${similar} vs unrelated ${unrelated}`);
  });

  it("ranks the relevant document first for a query", () => {
    const docs = [
      "How to reset your password in the account settings",
      "Shipping times for international orders",
      "Refund policy for damaged items",
    ].map((d) => hashEmbed(d, 384));
    const query = hashEmbed("reset password", 384);
    const scores = docs.map((d) => cosine(query, d));
    assert.equal(scores.indexOf(Math.max(...scores)), 0, String(scores));
  });

  it("is deterministic, unit length, and zero for text without words", () => {
    const a = hashEmbed("Grüße aus Köln, 2024!", 64);
    assert.deepEqual(a, hashEmbed("Grüße aus Köln, 2024!", 64));
    assert.equal(a.length, 64);
    assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-9);
    assert.deepEqual(hashEmbed(" ... ", 8), new Array(8).fill(0));
  });

  it("keeps its output stable (stored vectors depend on it; change the name's version if this changes)", () => {
    const vector = hashEmbed("Sophia keeps vectors in sync", 384);
    const first = vector
      .map((x, i) => [i, Number(x.toFixed(6))] as const)
      .filter(([, x]) => x !== 0)
      .slice(0, 4);
    assert.deepEqual(first, [
      [16, -0.125846],
      [21, 0.125846],
      [40, -0.125846],
      [78, 0.125846],
    ]);
    assert.equal(vector.filter((x) => x !== 0).length, 29);
    assert.equal(createLocalEmbedder().name, "local-hashing-v1-384");
  });
});
