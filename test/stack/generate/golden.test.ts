/**
 * The whole generated tree for the sample project, compared byte for byte
 * with test/fixtures/stack/sample/expected/. UPDATE_GOLDEN=1 rewrites it.
 * The Pulumi program has its own golden test (test/stack/pulumi). Every file
 * is stored with a .golden suffix so the repository's formatter (biome also
 * formats JSON and YAML) leaves the bytes alone.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { SAMPLE_DIR, sampleFiles } from "./sample.ts";

const EXPECTED = join(SAMPLE_DIR, "expected");
const OWN = (path: string) => !path.startsWith("deploy/pulumi/") && !path.startsWith("deploy/esc/");
const stored = (path: string) => `${path}.golden`;

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

test("the generated tree for the sample project matches the golden files", async () => {
  const files = sampleFiles().filter((file) => OWN(file.path));
  if (process.env.UPDATE_GOLDEN === "1") {
    await rm(EXPECTED, { recursive: true, force: true });
    for (const file of files) {
      const target = join(EXPECTED, stored(file.path));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
  }
  assert.deepEqual(await listTree(EXPECTED), files.map((file) => stored(file.path)).sort());
  for (const file of files) {
    const golden = await readFile(join(EXPECTED, stored(file.path)), "utf8");
    assert.equal(
      file.content,
      golden,
      `${file.path} differs from its golden file (UPDATE_GOLDEN=1 to accept)`,
    );
  }
});
