// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are field templates, not JavaScript templates
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTemplate } from "./template.ts";

describe("parseTemplate", () => {
  it("fills columns and lists the columns it reads", () => {
    const template = parseTemplate("${title} - ${ status }");
    assert.equal(template.render({ title: "Hello", status: "draft" }), "Hello - draft");
    assert.deepEqual(template.columns, ["title", "status"]);
  });

  it("renders missing and null as empty, objects as JSON, numbers as text", () => {
    const template = parseTemplate("[${a}|${b}|${c}|${d}]");
    assert.equal(template.render({ b: null, c: { x: 1 }, d: 2.5 }), '[||{"x":1}|2.5]');
  });

  it("writes a literal ${ for $${", () => {
    assert.equal(parseTemplate("cost: $${x} ${x}").render({ x: 3 }), "cost: ${x} 3");
  });

  it("refuses unclosed and empty placeholders", () => {
    assert.throws(() => parseTemplate("${title"), /unclosed/);
    assert.throws(() => parseTemplate("a ${}"), /empty/);
  });
});
