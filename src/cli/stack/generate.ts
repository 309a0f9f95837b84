/** `sophia stack generate`: write the deployment files, or check that they are current. */
import { SophiaError } from "../../shared/errors.ts";
import {
  checkGenerated,
  configVariables,
  type Environment,
  generateStack,
  renderPulumi,
  stackModel,
  writeGenerated,
} from "../../stack/index.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseStackArgs, stringValue } from "./args.ts";
import { GENERATE_HELP } from "./help.ts";
import { insideRoot, loadProject } from "./project.ts";

function parseEnv(value: string | undefined): Environment | undefined {
  if (value === undefined || value === "dev" || value === "prod") return value;
  throw new SophiaError(
    "USAGE",
    `sophia stack generate: --env must be dev or prod, got "${value}"`,
  );
}

export async function generateCommand(args: string[], io: Io): Promise<number> {
  const values = parseStackArgs("generate", args, {
    config: { type: "string", short: "c" },
    out: { type: "string", short: "o" },
    env: { type: "string" },
    check: { type: "boolean" },
    force: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) {
    io.out(GENERATE_HELP);
    return EXIT.ok;
  }
  const env = parseEnv(stringValue(values, "env"));
  const project = await loadProject(stringValue(values, "config"), io);
  const out = insideRoot(project.root, io.cwd, stringValue(values, "out") ?? "deploy", "--out");
  const model = stackModel(project.config, {
    source: project.source,
    variables: configVariables(project.text),
  });
  const files = generateStack(model, { out, env, extra: [renderPulumi] });
  if (values.check === true) return check(project.root, files, io);
  const report = await writeGenerated(project.root, files, { force: values.force === true });
  for (const path of report.created) io.out(`created   ${path}`);
  for (const path of report.updated) io.out(`updated   ${path}`);
  io.out(
    `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged (in ${project.root})`,
  );
  return EXIT.ok;
}

async function check(
  root: string,
  files: Parameters<typeof checkGenerated>[1],
  io: Io,
): Promise<number> {
  const drift = await checkGenerated(root, files);
  const lines = [
    ...drift.missing.map((path) => `  missing   ${path}`),
    ...drift.differing.map((path) => `  differs   ${path}`),
  ];
  if (lines.length > 0) {
    throw new SophiaError(
      "STACK_DRIFT",
      `${lines.length} generated file(s) do not match sophia.yaml:\n${lines.join("\n")}`,
      { hint: "Run sophia stack generate (with the same --out/--env) and commit the result." },
    );
  }
  io.out(`${files.length} generated files are up to date`);
  return EXIT.ok;
}
