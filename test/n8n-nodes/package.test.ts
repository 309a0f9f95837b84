import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { PACKAGE_DIR } from "./dist.ts";

const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8"));

describe("n8n-nodes-sophia package manifest and built files", () => {
  test("a community node package: name, keyword, no runtime dependencies, n8n-workflow as a peer", () => {
    assert.equal(manifest.name, "n8n-nodes-sophia");
    assert.ok(manifest.keywords.includes("n8n-community-node-package"));
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(Object.keys(manifest.peerDependencies), ["n8n-workflow"]);
    assert.deepEqual(manifest.files, ["dist"]);
    assert.equal(manifest.n8n.n8nNodesApiVersion, 1);
  });

  test("every node and credential the n8n section names is built, with its codex and icons", () => {
    const { nodes, credentials } = manifest.n8n as { nodes: string[]; credentials: string[] };
    assert.deepEqual(nodes.map((path) => path.split("/").at(-1)).sort(), [
      "Sophia.node.js",
      "SophiaTrigger.node.js",
    ]);
    for (const path of [...nodes, ...credentials])
      assert.ok(existsSync(join(PACKAGE_DIR, path)), `${path} is built`);
    for (const path of nodes) {
      const codex = JSON.parse(
        readFileSync(join(PACKAGE_DIR, path.replace(/\.js$/, ".json")), "utf8"),
      );
      assert.match(codex.node, /^n8n-nodes-sophia\.sophia(Trigger)?$/);
      assert.ok(codex.categories.length > 0, `${path}: codex categories`);
      for (const icon of ["sophia.svg", "sophia.dark.svg"]) {
        const file = join(PACKAGE_DIR, dirname(path), "../../icons", icon);
        assert.match(readFileSync(file, "utf8"), /^<svg /, `${icon} next to ${path}`);
      }
    }
  });
});
