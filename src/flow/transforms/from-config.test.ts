// biome-ignore-all lint/suspicious/noTemplateCurlyInString: field templates, not JavaScript templates
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { silentLogger } from "../../shared/logger.ts";
import { pipeline } from "./compose.ts";
import { createTransforms, transformsConfigSchema } from "./from-config.ts";
import { testEvent } from "./test-event.ts";

const yaml = `
- filter: { op: [insert, update, delete], where: [{ column: status, equals: published }] }
- name: shape
  map: { rename: { body: content }, set: { label: "\${title} (\${status})" } }
- enrich: { module: ./testdata/functions.ts, export: addOwner }
- embed: { fields: [label, content], chunk: { size: 200, overlap: 20 } }
`;

describe("transforms from configuration", () => {
  it("builds the listed transforms in order and runs them as a pipeline", async () => {
    const entries = transformsConfigSchema.parse(parse(yaml));
    const transforms = await createTransforms(entries, {
      configDir: import.meta.dirname,
      logger: silentLogger(),
    });
    assert.deepEqual(
      transforms.map((t) => t.name),
      ["filter#0", "shape", "enrich#2", "embed#3"],
    );
    const out = await pipeline(...transforms).apply([
      testEvent({
        key: { id: 1 },
        after: { id: 1, title: "Hi", status: "published", body: "Hello world." },
      }),
      testEvent({ key: { id: 2 }, after: { id: 2, title: "No", status: "draft", body: "x" } }),
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0]?.after?.owner, "ada");
    assert.deepEqual(
      out[0]?.chunks?.map((c) => c.text),
      ["label: Hi (published)\n\ncontent: Hello world."],
    );
  });

  it("refuses an entry with two kinds or an unknown kind", () => {
    assert.equal(transformsConfigSchema.safeParse([{ filter: {}, map: {} }]).success, false);
    assert.equal(transformsConfigSchema.safeParse([{ reduce: {} }]).success, false);
  });
});
