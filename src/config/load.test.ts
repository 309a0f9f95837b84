// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are configuration text with ${VAR} references
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isSophiaError } from "../shared/errors.ts";
import { loadConfig } from "./load.ts";

let root: string;
let count = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "sophia-config-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory holding the given files. */
async function folder(files: Record<string, string>): Promise<string> {
  count += 1;
  const dir = join(root, `case-${count}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe("loadConfig", () => {
  test("without a file and without sophia.yaml: embedded defaults", async () => {
    const config = await loadConfig({ cwd: await folder({}), env: {} });
    assert.equal(config.file, undefined);
    assert.equal(config.format, "sophia");
    assert.deepEqual(config.servers, {});
    assert.equal(`${config.gateway.host}:${config.gateway.port}`, "127.0.0.1:8080");
  });

  test("finds sophia.yaml, or sophia.yml, in cwd", async () => {
    const yaml = await folder({ "sophia.yaml": "gateway: { port: 1 }\n" });
    assert.equal((await loadConfig({ cwd: yaml, env: {} })).file, join(yaml, "sophia.yaml"));
    const yml = await folder({ "sophia.yml": "gateway: { port: 2 }\n" });
    const config = await loadConfig({ cwd: yml, env: {} });
    assert.equal(config.file, join(yml, "sophia.yml"));
    assert.equal(config.gateway.port, 2);
  });

  test("both sophia.yaml and sophia.yml is refused rather than guessed", async () => {
    const cwd = await folder({ "sophia.yaml": "", "sophia.yml": "" });
    await assert.rejects(loadConfig({ cwd, env: {} }), (error) => {
      assert.ok(isSophiaError(error, "CONFIG_INVALID"));
      assert.match(error.message, /sophia\.yaml and .*sophia\.yml exist/);
      return true;
    });
  });

  test("an explicit file is resolved against cwd; format comes from content, not extension", async () => {
    const cwd = await folder({ "claude.yaml": '{"mcpServers": {"fs": {"command": "npx"}}}' });
    const config = await loadConfig({ file: "claude.yaml", cwd, env: {} });
    assert.equal(config.file, join(cwd, "claude.yaml"));
    assert.equal(config.format, "mcpServers");
    assert.equal(config.servers.fs?.transport, "stdio");
  });

  test("a missing explicit file is CONFIG_NOT_FOUND with its absolute path", async () => {
    const cwd = await folder({ "sophia.yaml": "" });
    await assert.rejects(loadConfig({ file: "nope/other.yaml", cwd, env: {} }), (error) => {
      assert.ok(isSophiaError(error, "CONFIG_NOT_FOUND"));
      assert.ok(error.message.includes(join(cwd, "nope/other.yaml")), error.message);
      return true;
    });
  });

  test("a directory is not a configuration file", async () => {
    const cwd = await folder({});
    await assert.rejects(loadConfig({ file: ".", cwd, env: {} }), (error) =>
      isSophiaError(error, "CONFIG_NOT_FOUND"),
    );
  });

  test("an unreadable file is CONFIG_INVALID naming it", {
    skip: process.getuid?.() === 0,
  }, async () => {
    const cwd = await folder({ "sophia.yaml": "" });
    await chmod(join(cwd, "sophia.yaml"), 0o000);
    await assert.rejects(loadConfig({ cwd, env: {} }), (error) => {
      assert.ok(isSophiaError(error, "CONFIG_INVALID"));
      assert.ok(error.message.includes(join(cwd, "sophia.yaml")));
      return true;
    });
  });

  test("problems in the file name its absolute path", async () => {
    const cwd = await folder({ "sophia.yaml": "servers:\n  a: { command: x, pool: 99 }\n" });
    await assert.rejects(loadConfig({ cwd, env: {} }), (error) => {
      assert.ok(isSophiaError(error, "CONFIG_INVALID"));
      assert.ok(
        error.message.includes(`${join(cwd, "sophia.yaml")}:2:20: servers.a.pool:`),
        error.message,
      );
      return true;
    });
  });

  test("variables come from the env option only", async () => {
    const cwd = await folder({ "sophia.yaml": 'gateway: { host: "${SOPHIA_TEST_HOST}" }\n' });
    const config = await loadConfig({ cwd, env: { SOPHIA_TEST_HOST: "0.0.0.0" } });
    assert.equal(config.gateway.host, "0.0.0.0");
    await assert.rejects(loadConfig({ cwd, env: {} }), (error) =>
      isSophiaError(error, "CONFIG_ENV_MISSING"),
    );
  });
});
