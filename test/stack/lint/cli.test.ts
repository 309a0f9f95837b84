import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { lintCommand } from "../../../src/cli/lint.ts";
import { RULES } from "../../../src/stack/lint/index.ts";
import { runCli } from "../../support/cli-process.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/lint");
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sophia-lint-"));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Runs the command in process with an Io that records what it prints. */
async function lint(args: string[], cwd = dir) {
  const out: string[] = [];
  let err = "";
  const code = await lintCommand(args, {
    out: (line) => out.push(line),
    err: (text) => {
      err += text;
    },
    env: {},
    cwd,
  });
  return { code, out: out.join("\n"), err };
}

async function project(name: string, files: Record<string, string>): Promise<string> {
  const root = join(dir, name);
  await cp(join(FIXTURES, "compose/good"), root, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(root, file), text);
  return root;
}

describe("sophia lint: exit codes", () => {
  it("0 and a summary for a clean folder", async () => {
    const root = await project("clean", {});
    const run = await lint([], root);
    assert.equal(run.code, 0, run.out + run.err);
    assert.match(run.out, /^no findings in 3 files$/m);
  });

  it("1 with file:line:col, rule, message and fix for findings", async () => {
    const root = await project("faulty", { Dockerfile: 'FROM node\nUSER 10001\nCMD ["node"]\n' });
    const run = await lint([], root);
    assert.equal(run.code, 1);
    assert.match(run.out, /^Dockerfile:1:6 {2}warning {2}SDF002 {2}base image node has no tag/m);
    assert.match(run.out, /^ {4}fix: pin a version tag/m);
    assert.match(run.out, /1 finding \(0 errors, 1 warnings, 0 info\) in 4 files/);
  });

  it("--severity filters what is reported and what fails", async () => {
    const root = await project("info-only", {
      "Dockerfile.dev": 'FROM node:24.1\nMAINTAINER x\nUSER 1\nCMD ["a"]\n',
    });
    assert.equal((await lint([], root)).code, 0, "info is below the default threshold");
    const all = await lint(["--severity", "info"], root);
    assert.equal(all.code, 1);
    assert.match(all.out, /SDF016/);
    assert.equal(
      (
        await lint([
          "--severity",
          "error",
          join(FIXTURES, "dockerfile/bad/SDF002-latest.Dockerfile"),
        ])
      ).code,
      0,
    );
  });

  it("2 for usage errors", async () => {
    for (const args of [
      ["--format", "xml"],
      ["--severity", "fatal"],
      ["--bogus"],
      ["--env", "a b"],
    ]) {
      const run = await lint(args);
      assert.equal(run.code, 2, args.join(" "));
      assert.match(run.err, /Usage: sophia lint/);
    }
  });

  it("3 for a missing path or invalid YAML, with the place", async () => {
    const missing = await lint(["no-such-file"]);
    assert.equal(missing.code, 3);
    assert.match(missing.err, /cannot read no-such-file/);
    const root = await project("broken", { "compose.override.yaml": "services:\n  web: [\n" });
    const broken = await lint([], root);
    assert.equal(broken.code, 3);
    assert.match(broken.err, /compose\.override\.yaml:\d+:\d+: not valid YAML/);
  });

  it("--help exits 0", async () => {
    const run = await lint(["--help"]);
    assert.equal(run.code, 0);
    assert.match(run.out, /Exit codes: 0 no findings/);
  });
});

describe("sophia lint: Compose file selection", () => {
  it("-f merges exactly the files named, in order", async () => {
    const merge = join(FIXTURES, "compose/merge/override");
    const run = await lint(
      [
        "-f",
        join(merge, "compose.yaml"),
        "-f",
        join(merge, "compose.override.yaml"),
        "--format",
        "json",
      ],
      merge,
    );
    const report = JSON.parse(run.out) as { findings: { rule: string; file: string }[] };
    assert.deepEqual(
      report.findings.map((f) => `${f.file} ${f.rule}`),
      [
        "compose.override.yaml SDC001",
        "compose.override.yaml SDC012",
        "compose.override.yaml SDC015",
        "compose.override.yaml SDC006",
      ],
    );
  });

  it("--env picks compose.<env>.yaml; an override named on the command line brings its base", async () => {
    const merge = join(FIXTURES, "compose/merge/prod");
    const dev = await lint(["--env", "dev"], merge);
    assert.equal(dev.code, 0, dev.out);
    const named = await lint(["compose.prod.yaml", "--severity", "info"], merge);
    assert.equal(named.code, 1);
    assert.match(named.out, /compose\.prod\.yaml:7:\d+ {2}warning {2}SDC016/);
    assert.match(named.out, /compose\.yaml:13:3 {2}warning {2}SDC017/);
  });

  it("skips node_modules and .git when searching folders", async () => {
    const root = await project("skips", {});
    await cp(join(FIXTURES, "dockerfile/bad"), join(root, "node_modules/pkg"), { recursive: true });
    await cp(join(FIXTURES, "dockerfile/bad"), join(root, ".git/x"), { recursive: true });
    assert.equal((await lint(["--severity", "info"], root)).code, 0);
  });
});

describe("sophia lint: formats", () => {
  it("json lists files, a summary and each finding with its hint", async () => {
    const run = await lint(
      ["--format", "json", join(FIXTURES, "compose/bad/SDC001-privileged.yaml")],
      FIXTURES,
    );
    const report = JSON.parse(run.out);
    assert.equal(report.version, 1);
    assert.deepEqual(report.files, ["compose/bad/SDC001-privileged.yaml"]);
    assert.deepEqual(report.summary, { total: 1, error: 1, warning: 0, info: 0 });
    assert.equal(report.findings[0].rule, "SDC001");
    assert.equal(report.findings[0].line, 15);
    assert.match(report.findings[0].hint, /remove `privileged: true`/);
  });

  it("sarif is SARIF 2.1.0 with every rule and located results", async () => {
    const run = await lint(["--format", "sarif", "--severity", "info", "dockerfile/bad"], FIXTURES);
    assert.equal(run.code, 1);
    const log = JSON.parse(run.out);
    assert.equal(log.version, "2.1.0");
    const [sarifRun] = log.runs;
    const rules = sarifRun.tool.driver.rules as {
      id: string;
      help: { text: string };
      defaultConfiguration: { level: string };
    }[];
    assert.deepEqual(
      rules.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    assert.ok(rules.every((r) => r.help.text.includes("Fix:")));
    assert.equal(rules.find((r) => r.id === "SDF016")?.defaultConfiguration.level, "note");
    const result = sarifRun.results.find((r: { ruleId: string }) => r.ruleId === "SDF012");
    assert.equal(rules[result.ruleIndex]?.id, "SDF012");
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: {
        uri: "dockerfile/bad/SDF012-relative-workdir.Dockerfile",
        uriBaseId: "%SRCROOT%",
      },
      region: { startLine: 3, startColumn: 1 },
    });
  });
});

describe("sophia lint: registered in the CLI", () => {
  it("sophia lint --help runs through the sophia command", async () => {
    const run = await runCli(["lint", "--help"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Usage: sophia lint/);
  });
});
