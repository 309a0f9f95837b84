import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateApiKey } from "./api-key.ts";
import { ChangeSignal } from "./change-signal.ts";
import { KeyFile } from "./key-store.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls up to 2 s for the reader to see the key revoked; returns how long it took. */
async function msUntilRevoked(reader: KeyFile, id: string): Promise<number> {
  const start = Date.now();
  for (let i = 0; i < 400 && Date.now() - start < 2000; i++) {
    if ((await reader.get(id))?.revoked !== undefined) return Date.now() - start;
    await sleep(5);
  }
  return Number.POSITIVE_INFINITY;
}

describe("KeyFile change detection (real files)", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-keystore-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a revoke by another writer is seen through the folder watch, well before the re-check", async () => {
    const path = join(dir, "watched.json");
    const writer = new KeyFile(path);
    const made = generateApiKey({ name: "w" });
    await writer.add(made.record);
    const reader = new KeyFile(path, { recheckMs: 60_000 });
    try {
      assert.equal((await reader.get(made.record.id))?.revoked, undefined);
      await writer.revoke("w");
      assert.ok((await msUntilRevoked(reader, made.record.id)) < 1000);
    } finally {
      await reader.close();
    }
  });

  test("the same record object is returned while the file is unchanged", async () => {
    const path = join(dir, "stable.json");
    const store = new KeyFile(path);
    const made = generateApiKey({ name: "s" });
    await store.add(made.record);
    try {
      assert.equal(await store.get(made.record.id), await store.get(made.record.id));
    } finally {
      await store.close();
    }
  });

  test("a file that appears later is found by the periodic re-check", async () => {
    const path = join(dir, "later", "keys.json");
    const reader = new KeyFile(path, { recheckMs: 50 });
    const made = generateApiKey({ name: "l" });
    try {
      assert.equal(await reader.get(made.record.id), undefined);
      // The folder does not exist yet, so nothing can be watched: only the interval finds it.
      await new KeyFile(path).add(made.record);
      const start = Date.now();
      let found = await reader.get(made.record.id);
      for (let i = 0; i < 100 && !found && Date.now() - start < 2000; i++) {
        await sleep(10);
        found = await reader.get(made.record.id);
      }
      assert.equal(found?.name, "l");
    } finally {
      await reader.close();
    }
  });

  test("invalid JSON is reported, and a fixed file is read again", async () => {
    const path = join(dir, "broken.json");
    await writeFile(path, "{ not json");
    const reader = new KeyFile(path, { recheckMs: 0 });
    try {
      await assert.rejects(reader.list(), /not valid JSON/);
      await writeFile(path, JSON.stringify({ version: 1, keys: [] }));
      assert.deepEqual(await reader.list(), []);
    } finally {
      await reader.close();
    }
  });
});

describe("ChangeSignal", () => {
  test("due after a change is signalled, and again once the interval passes", () => {
    let now = 1000;
    const signal = new ChangeSignal(join(tmpdir(), "sophia-no-such-dir", "x"), 500, () => now);
    assert.equal(signal.due(), true, "never checked");
    signal.checked(signal.begin());
    assert.equal(signal.due(), false);
    now += 499;
    assert.equal(signal.due(), false);
    now += 1;
    assert.equal(signal.due(), true, "interval passed");
    signal.checked(signal.begin());
    signal.invalidate();
    assert.equal(signal.due(), true, "invalidated");
    signal.close();
  });

  test("a change during a check is not lost when the check completes", () => {
    const now = 0;
    const signal = new ChangeSignal(join(tmpdir(), "sophia-no-such-dir", "y"), 500, () => now);
    const mark = signal.begin();
    signal.invalidate();
    signal.checked(mark);
    assert.equal(signal.due(), true);
    signal.close();
  });
});
