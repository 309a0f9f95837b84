import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { loadModuleFunction } from "./module-ref.ts";

const context = { configDir: import.meta.dirname };
const expects = "(event) => boolean";

describe("loadModuleFunction", () => {
  it("loads a named export relative to the configuration's folder", async () => {
    const fn = await loadModuleFunction(
      { module: "./testdata/functions.ts", export: "isPublished" },
      context,
      expects,
    );
    assert.equal(fn.name, "isPublished");
  });

  it("loads the default export and absolute paths", async () => {
    const file = join(import.meta.dirname, "testdata/functions.ts");
    const fn = await loadModuleFunction({ module: file, export: "default" }, context, expects);
    assert.equal(fn.name, "keepAll");
  });

  it("says where it looked for a missing module", async () => {
    await assert.rejects(
      loadModuleFunction({ module: "./testdata/nope.ts", export: "x" }, context, expects),
      (error) =>
        isSophiaError(error, "CONFIG_INVALID") &&
        error.message.includes("./testdata/nope.ts") &&
        error.message.includes(join(import.meta.dirname, "testdata/nope.ts")),
    );
  });

  it("lists what the module exports when the name is wrong", async () => {
    await assert.rejects(
      loadModuleFunction(
        { module: "./testdata/functions.ts", export: "isPublishd" },
        context,
        expects,
      ),
      (error) =>
        isSophiaError(error, "CONFIG_INVALID") &&
        error.message.includes('no export "isPublishd"') &&
        error.message.includes("isPublished, notAFunction"),
    );
  });

  it("refuses an export that is not a function", async () => {
    await assert.rejects(
      loadModuleFunction(
        { module: "./testdata/functions.ts", export: "notAFunction" },
        context,
        expects,
      ),
      (error) =>
        isSophiaError(error, "CONFIG_INVALID") &&
        error.message.includes("is number, not a function"),
    );
  });

  it("reports a module that throws while loading", async () => {
    await assert.rejects(
      loadModuleFunction({ module: "./testdata/broken.ts", export: "x" }, context, expects),
      (error) =>
        isSophiaError(error, "CONFIG_INVALID") && error.message.includes("broken on purpose"),
    );
  });
});
