import assert from "node:assert/strict";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { watchFile } from "./watch.ts";

test("a burst of writes and a rename over the file give one change; other files none", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sophia-watch-"));
  const file = join(dir, "sophia.yaml");
  writeFileSync(file, "servers: {}\n");
  let changes = 0;
  const stop = watchFile(file, () => changes++, { debounceMs: 100 });
  try {
    writeFileSync(join(dir, "other.yaml"), "x");
    await sleep(300);
    assert.equal(changes, 0, "another file in the folder is not a change");
    for (let i = 0; i < 5; i++) writeFileSync(file, `servers: {} # ${i}\n`);
    writeFileSync(join(dir, "new.tmp"), "servers: {}\n");
    renameSync(join(dir, "new.tmp"), file);
    for (let i = 0; i < 40 && changes === 0; i++) await sleep(25);
    await sleep(250);
    assert.equal(changes, 1);
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
