import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfigText } from "../../../src/config/index.ts";
import { generateStack, stackModel } from "../../../src/stack/index.ts";
import {
  composeSets,
  type Finding,
  kindOf,
  lintComposeTexts,
  lintDockerfileText,
  namesProd,
} from "../../../src/stack/lint/index.ts";

/** Lints generated files as `sophia lint --env <env>` would on the written folder. */
function lintGenerated(configText: string, env: string | undefined): Finding[] {
  const config = parseConfigText(configText, { file: "sophia.yaml", env: {} });
  const files = generateStack(stackModel(config, { source: "sophia.yaml" }));
  const findings: Finding[] = [];
  const compose = new Map<string, { file: string; text: string }>();
  for (const file of files) {
    const name = file.path.split("/").at(-1) ?? file.path;
    const kind = kindOf(name);
    const source = { file: file.path, text: file.content };
    if (kind === "dockerfile") {
      findings.push(...lintDockerfileText(source, { prod: env === "prod" || namesProd(name) }));
    } else if (kind === "compose") compose.set(name, source);
  }
  assert.ok(compose.has("compose.yaml"), "the generator writes compose.yaml");
  for (const set of composeSets([...compose.keys()], env)) {
    const prod = env === "prod" || set.some(namesProd);
    findings.push(
      ...lintComposeTexts(
        set.map((name) => compose.get(name)!),
        { prod },
      ),
    );
  }
  return findings;
}

describe("sophia lint on what sophia stack generate writes", () => {
  for (const [label, text] of [
    ["default deploy section", "deploy:\n  name: demo\n"],
    ["empty configuration", ""],
  ] as const) {
    for (const env of [undefined, "dev", "prod"]) {
      it(`${label}, env ${env ?? "none"}: no findings at any severity`, () => {
        const findings = lintGenerated(text, env);
        assert.deepEqual(
          findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`),
          [],
        );
      });
    }
  }
});
