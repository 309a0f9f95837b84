import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  lintComposeTexts,
  lintDockerfileText,
  lintFiles,
  namesProd,
  RULES,
} from "../../../src/stack/lint/index.ts";
import { actual, expectedIn } from "./expectations.ts";

const ROOT = join(import.meta.dirname, "../../fixtures/lint");
const read = (path: string) => readFile(path, "utf8");

const badDockerfiles = (await readdir(join(ROOT, "dockerfile/bad"))).sort();
const badCompose = (await readdir(join(ROOT, "compose/bad"))).sort();

describe("lint fixtures: every rule has a seeded fault", () => {
  it("each rule id starts at least one bad fixture's name", () => {
    const names = [...badDockerfiles, ...badCompose];
    const missing = RULES.filter((rule) => !names.some((name) => name.startsWith(`${rule.id}-`)));
    assert.deepEqual(
      missing.map((rule) => rule.id),
      [],
    );
  });
});

describe("lint fixtures: Dockerfiles with exactly one fault", () => {
  for (const name of badDockerfiles) {
    it(`${name} fires ${name.slice(0, 6)} where marked, and nothing else`, async () => {
      const text = await read(join(ROOT, "dockerfile/bad", name));
      const findings = lintDockerfileText({ file: name, text }, { prod: namesProd(name) });
      const expected = expectedIn(name, text).sort();
      assert.ok(
        expected.some((entry) => entry.endsWith(name.slice(0, 6))),
        "fixture marks its rule",
      );
      assert.deepEqual(actual(findings), expected);
    });
  }
});

describe("lint fixtures: Compose files with exactly one fault", () => {
  for (const name of badCompose) {
    it(`${name} fires ${name.slice(0, 6)} where marked, and nothing else`, async () => {
      const text = await read(join(ROOT, "compose/bad", name));
      const findings = lintComposeTexts([{ file: name, text }], { prod: false });
      const expected = expectedIn(name, text).sort();
      assert.ok(
        expected.some((entry) => entry.endsWith(name.slice(0, 6))),
        "fixture marks its rule",
      );
      assert.deepEqual(actual(findings), expected);
    });
  }
});

describe("lint fixtures: merged Compose files point at the file that set the value", () => {
  for (const [folder, env] of [
    ["override", undefined],
    ["prod", "prod"],
  ] as const) {
    it(`merge/${folder}: compose.yaml + its ${folder} file`, async () => {
      const cwd = join(ROOT, "compose/merge", folder);
      const result = await lintFiles({ paths: [], env, cwd });
      const expected: string[] = [];
      for (const file of await readdir(cwd))
        expected.push(...expectedIn(file, await read(join(cwd, file))));
      assert.deepEqual(actual(result.findings), expected.sort());
    });
  }

  it("merge/prod: a missing healthcheck is a warning in production", async () => {
    const cwd = join(ROOT, "compose/merge/prod");
    const result = await lintFiles({ paths: [], env: "prod", cwd });
    const missing = result.findings.find((f) => f.rule === "SDC017");
    assert.equal(missing?.severity, "warning");
  });
});

describe("lint fixtures: good files have no findings at any severity", () => {
  for (const env of [undefined, "dev", "prod"]) {
    it(`good Dockerfiles and Compose sets (env ${env ?? "none"})`, async () => {
      const result = await lintFiles({
        paths: ["dockerfile/good", "compose/good"],
        env,
        cwd: ROOT,
      });
      assert.deepEqual(result.findings, []);
      assert.ok(result.files.includes("compose/good/compose.yaml"));
      assert.ok(result.files.includes("dockerfile/good/Dockerfile.prod"));
    });
  }

  it("suppression comments are what keeps the suppressed fixture clean", async () => {
    const text = await read(join(ROOT, "dockerfile/good/suppressed.Dockerfile"));
    const bare = text.replace(/sophia-lint-ignore/g, "nothing");
    const findings = lintDockerfileText({ file: "s", text: bare }, { prod: false });
    assert.deepEqual(findings.map((f) => f.rule).sort(), ["SDF001", "SDF004"]);
  });
});
