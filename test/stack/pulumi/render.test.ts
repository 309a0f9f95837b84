/**
 * renderPulumi as text: golden files, determinism, headers, pinned versions,
 * and an ESC environment that holds no secret. UPDATE_GOLDEN=1 rewrites the
 * golden files (stored with a .golden suffix so no tool here lints them).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { headerText } from "../../../src/stack/header.ts";
import { renderPulumi } from "../../../src/stack/pulumi/index.ts";
import { VERSIONS } from "../../../src/stack/pulumi/project-files.ts";
import { fullModel, minimalModel } from "./support/models.ts";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "golden");

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe("renderPulumi output", () => {
  for (const [name, model] of [
    ["acme", fullModel()],
    ["tiny", minimalModel()],
  ] as const) {
    it(`matches the golden files for ${name}`, async () => {
      const files = renderPulumi(model);
      const dir = join(GOLDEN, name);
      if (process.env.UPDATE_GOLDEN === "1") {
        await rm(dir, { recursive: true, force: true });
        for (const f of files) {
          await mkdir(dirname(join(dir, f.path)), { recursive: true });
          await writeFile(join(dir, `${f.path}.golden`), f.content);
        }
      }
      const stored = (await listFiles(dir)).map((p) => p.replace(/\.golden$/, "")).sort();
      assert.deepEqual(
        files.map((f) => f.path),
        stored,
      );
      for (const f of files)
        assert.equal(f.content, readFileSync(join(dir, `${f.path}.golden`), "utf8"), f.path);
    });
  }

  it("gives the same bytes for the same model, whatever the order of its lists", () => {
    const model = fullModel();
    const shuffled = { ...model, secrets: [...model.secrets].reverse() };
    assert.deepEqual(renderPulumi(model), renderPulumi(fullModel()));
    assert.deepEqual(renderPulumi(shuffled), renderPulumi(model));
  });

  it("lists files in path order, all for prod, with the program, ESC and policy layout", () => {
    const paths = renderPulumi(fullModel()).map((f) => f.path);
    assert.deepEqual(paths, [...paths].sort());
    assert.ok(renderPulumi(fullModel()).every((f) => f.env === "prod"));
    for (const p of [
      "deploy/pulumi/Pulumi.yaml",
      "deploy/pulumi/Pulumi.prod.yaml",
      "deploy/pulumi/index.ts",
      "deploy/pulumi/workloads.ts",
      "deploy/pulumi/network.ts",
      "deploy/pulumi/security.ts",
      "deploy/pulumi/policy/PulumiPolicy.yaml",
      "deploy/pulumi/policy/index.ts",
      "deploy/esc/acme-prod.yaml",
    ]) {
      assert.ok(paths.includes(p), p);
    }
  });

  it("starts every file with the generated-file header in its own syntax", () => {
    const text = headerText("sophia.yaml");
    for (const f of renderPulumi(fullModel())) {
      if (f.path.endsWith("package.json")) {
        assert.equal((JSON.parse(f.content) as Record<string, string>)["//"], text, f.path);
      } else {
        const first = f.content.split("\n")[0];
        assert.ok(first === `# ${text}` || first === `// ${text}`, `${f.path}: ${first}`);
      }
    }
  });

  it("parses every YAML file, references the ESC environment and holds no secret value", () => {
    const files = new Map(renderPulumi(fullModel()).map((f) => [f.path, f.content]));
    for (const [path, content] of files) if (path.endsWith(".yaml")) parse(content);
    const stack = parse(files.get("deploy/pulumi/Pulumi.prod.yaml") ?? "") as {
      environment: string[];
      config: Record<string, unknown>;
    };
    assert.deepEqual(stack.environment, ["acme/prod"]);
    assert.equal(stack.config["acme:namespace"], "acme");
    const project = parse(files.get("deploy/pulumi/Pulumi.yaml") ?? "") as {
      name: string;
      runtime: { name: string; options: { typescript: boolean } };
    };
    assert.deepEqual(
      [project.name, project.runtime.name, project.runtime.options.typescript],
      ["acme", "nodejs", false],
    );
    const esc = parse(files.get("deploy/esc/acme-prod.yaml") ?? "") as {
      values: {
        secrets: Record<string, { "fn::secret": string }>;
        pulumiConfig: Record<string, string>;
        environmentVariables: Record<string, string>;
      };
    };
    const keys = Object.keys(esc.values.secrets);
    assert.deepEqual(keys, [
      "n8nEncryptionKey",
      "n8nRunnersAuthToken",
      "openaiApiKey",
      "postgresPassword",
      "redisPassword",
    ]);
    for (const key of keys) {
      assert.match(
        esc.values.secrets[key]?.["fn::secret"] ?? "",
        /^REPLACE ME: .* esc env set acme\/prod secrets\./,
      );
      assert.equal(esc.values.pulumiConfig[key], `\${secrets.${key}}`);
    }
    assert.equal(esc.values.environmentVariables.OPENAI_API_KEY, `\${secrets.openaiApiKey}`);
  });

  it("pins the Pulumi SDK versions this repository tests with", () => {
    const require = createRequire(import.meta.url);
    const installed = (name: string) =>
      (require(`${name}/package.json`) as { version: string }).version.replace(/^v/, "");
    assert.equal(VERSIONS.pulumi, installed("@pulumi/pulumi"));
    assert.equal(VERSIONS.kubernetes, installed("@pulumi/kubernetes"));
    assert.equal(VERSIONS.policy, installed("@pulumi/policy"));
    assert.equal(VERSIONS.typescript, installed("typescript"));
    assert.equal(VERSIONS.typesNode, installed("@types/node"));
    const pkg = JSON.parse(
      renderPulumi(fullModel()).find((f) => f.path === "deploy/pulumi/package.json")?.content ??
        "{}",
    );
    assert.deepEqual(pkg.dependencies, {
      "@pulumi/kubernetes": VERSIONS.kubernetes,
      "@pulumi/pulumi": VERSIONS.pulumi,
    });
    assert.equal(pkg.type, "module");
  });
});
