/** Renders a model, runs its Pulumi program under mocks in a child process, and returns what it created. */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { StackModel } from "../../../../src/stack/model.ts";
import { renderPulumi, stackSecrets } from "../../../../src/stack/pulumi/index.ts";
import { configKeyOf } from "../../../../src/stack/pulumi/secrets.ts";
import type { RecordedResource, RunOptions } from "./run-program.ts";
import { writeWorkspace } from "./workspace.ts";

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), "run-program.ts");
const run = promisify(execFile);

export interface MockedRun {
  resources: RecordedResource[];
  failures: string[];
  /** The resources of one type token suffix, e.g. "apps/v1:Deployment". */
  ofType(suffix: string): RecordedResource[];
  one(suffix: string, name: string): RecordedResource;
}

/** Test values for every secret the stack asks ESC for. */
export function secretConfig(model: StackModel): Record<string, string> {
  return Object.fromEntries(stackSecrets(model).map((env) => [configKeyOf(env), `test-${env}`]));
}

/** The sophia.yaml written beside deploy/, where the program finds it by walking up. */
export const SOPHIA_YAML = "gateway:\n  port: 8080\n";

export async function mockedRun(
  model: StackModel,
  config: Record<string, string>,
): Promise<MockedRun> {
  const workspace = await writeWorkspace([
    ...renderPulumi(model),
    { path: model.source, content: SOPHIA_YAML },
  ]);
  try {
    const options: RunOptions = {
      project: model.pulumi.project,
      stack: model.pulumi.stack,
      config,
      secretKeys: Object.keys(secretConfig(model)),
    };
    const { stdout } = await run(
      process.execPath,
      [RUNNER, workspace.dir("deploy/pulumi"), JSON.stringify(options)],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: withoutTagVariables() },
    );
    const parsed = JSON.parse(stdout) as { resources: RecordedResource[]; failures: string[] };
    return withLookups(parsed.resources, parsed.failures);
  } finally {
    await workspace.remove();
  }
}

/** The program falls back to these for the image tag; a run on CI must not pick them up. */
function withoutTagVariables(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GITHUB_SHA;
  delete env.SOPHIA_IMAGE_TAG;
  return env;
}

function withLookups(resources: RecordedResource[], failures: string[]): MockedRun {
  const ofType = (suffix: string) => resources.filter((r) => r.type.endsWith(`:${suffix}`));
  return {
    resources,
    failures,
    ofType,
    one(suffix, name) {
      const found = ofType(suffix).find((r) => r.name === name);
      if (found === undefined) throw new Error(`no ${suffix} named ${name}`);
      return found;
    },
  };
}
