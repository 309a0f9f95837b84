import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { columnSchema, jsonPointer, tableSchema, typeSchema } from "./json-schema.ts";

describe("PostgreSQL types as JSON schema", () => {
  it("maps format_type and udt names alike", () => {
    assert.deepEqual(typeSchema("integer"), typeSchema("int4"));
    assert.deepEqual(typeSchema("timestamptz"), { type: "string", format: "date-time" });
    assert.deepEqual(typeSchema("character varying(200)"), { type: "string" });
    assert.deepEqual(typeSchema("numeric(10,2)"), { type: "string", format: "number" });
    assert.deepEqual(typeSchema("vector(384)"), { type: "array", items: { type: "number" } });
    assert.deepEqual(typeSchema("jsonb"), {});
    assert.deepEqual(typeSchema("some_enum"), {});
  });

  it("maps arrays in both spellings", () => {
    assert.deepEqual(typeSchema("text[]"), { type: "array", items: { type: "string" } });
    assert.deepEqual(typeSchema("_int8"), { type: "array", items: { type: "integer" } });
  });

  it("lets nullable columns be null", () => {
    assert.deepEqual(columnSchema({ name: "a", type: "text", nullable: true }), {
      type: ["string", "null"],
    });
    assert.deepEqual(columnSchema({ name: "a", type: "json", nullable: true }), {});
  });

  it("requires the key columns and escapes pointers", () => {
    const schema = tableSchema({
      schema: "public",
      table: "t",
      key: ["id"],
      columns: [{ name: "id", type: "int8", nullable: false }],
    });
    assert.deepEqual(schema, {
      type: "object",
      properties: { id: { type: "integer" } },
      required: ["id"],
    });
    assert.equal(jsonPointer("a/b~c"), "/a~1b~0c");
  });
});
