/**
 * The generated program and policy pack type-check with their own tsconfig
 * against the real @pulumi/* types (what `npm run typecheck` does for users).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { renderPulumi } from "../../../src/stack/pulumi/index.ts";
import { fullModel } from "./support/models.ts";
import { type Workspace, writeWorkspace } from "./support/workspace.ts";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const run = promisify(execFile);
let workspace: Workspace;

async function typecheck(dir: string): Promise<string> {
  try {
    await run(process.execPath, [TSC, "--noEmit", "-p", dir], { timeout: 120_000 });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout || String(error);
  }
}

before(async () => {
  workspace = await writeWorkspace(renderPulumi(fullModel()));
});
after(() => workspace.remove());

describe("generated TypeScript", () => {
  it("the program type-checks (strict, erasable syntax only)", async () => {
    assert.equal(await typecheck(workspace.dir("deploy/pulumi")), "");
  });

  it("the policy pack type-checks", async () => {
    assert.equal(await typecheck(workspace.dir("deploy/pulumi/policy")), "");
  });

  it("reports a type error when there is one", async () => {
    const { writeFile } = await import("node:fs/promises");
    const broken = workspace.dir("deploy/pulumi/policy/broken.ts");
    await writeFile(broken, "export const n: number = 'text';\n");
    assert.match(await typecheck(workspace.dir("deploy/pulumi/policy")), /broken\.ts.*TS2322/);
  });
});
