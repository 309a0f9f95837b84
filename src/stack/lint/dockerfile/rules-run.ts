/** Rules on RUN scripts: apt-get hygiene, pipefail, sudo, pinned apk and pip packages. */
import { argumentsText, type DockerfileContext, type Stage } from "./context.ts";
import { argsOf, hasPipe, splitCommands } from "./shell-words.ts";

interface RunStep {
  script: string;
  commands: string[][];
  place: ReturnType<DockerfileContext["stages"][number]["from"]["getRange"]>;
  /** A SHELL with pipefail is in effect for this RUN. */
  pipefail: boolean;
}

/** Shell-form RUN steps of a stage, with whether SHELL set pipefail before each. */
function runSteps(stage: Stage): RunStep[] {
  const steps: RunStep[] = [];
  let pipefail = false;
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword();
    const script = argumentsText(instruction).trim();
    if (keyword === "SHELL") pipefail = script.includes("pipefail");
    if (keyword !== "RUN" || script.startsWith("[")) continue;
    // Flags such as --mount=… come before the script.
    const body = script.replace(/^(--\S+\s+)+/, "");
    steps.push({
      script: body,
      commands: splitCommands(body),
      place: instruction.getRange(),
      pipefail,
    });
  }
  return steps;
}

function eachRun(context: DockerfileContext, check: (step: RunStep) => void): void {
  for (const stage of context.stages) for (const step of runSteps(stage)) check(step);
}

const APT = /^apt(-get)?$/;

/** SDF005, SDF006, SDF007: apt-get install -y --no-install-recommends, lists removed in the same RUN. */
export function aptGetHygiene(context: DockerfileContext): void {
  eachRun(context, (step) => {
    const installs = step.commands
      .map((c) => argsOf(c, APT, "install"))
      .filter((a) => a !== undefined);
    if (installs.length === 0) return;
    for (const args of installs) {
      const yes = args.some(
        (a) => a === "--yes" || a === "--assume-yes" || /^-[a-z]*y[a-z]*$/.test(a),
      );
      if (!yes) context.report("SDF005", step.place, "apt-get install without -y");
      if (!args.includes("--no-install-recommends")) {
        context.report("SDF006", step.place, "apt-get install without --no-install-recommends");
      }
    }
    if (!/rm\s+(-\w+\s+)*\/var\/lib\/apt\/lists/.test(step.script)) {
      context.report("SDF007", step.place, "apt lists are left in the layer");
    }
  });
}

/** SDF008: a RUN with a pipe runs under pipefail. */
export function pipefail(context: DockerfileContext): void {
  eachRun(context, (step) => {
    if (step.pipefail || !hasPipe(step.script) || step.script.includes("pipefail")) return;
    context.report("SDF008", step.place, "RUN pipes commands without pipefail");
  });
}

/** SDF013: no sudo. */
export function noSudo(context: DockerfileContext): void {
  eachRun(context, (step) => {
    if (step.commands.some((command) => command[0] === "sudo")) {
      context.report("SDF013", step.place, "RUN uses sudo");
    }
  });
}

/** Package words of an install command: flags and their values skipped. */
function packages(args: string[], flagsWithValue: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? "";
    if (flagsWithValue.has(word)) index += 1;
    else if (!word.startsWith("-")) out.push(word);
  }
  return out;
}

const APK_VALUE_FLAGS = new Set(["-t", "--virtual", "-X", "--repository", "--root", "-p"]);
const PIP_VALUE_FLAGS = new Set([
  ...["-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url"],
  ...["-f", "--find-links", "-t", "--target", "--prefix", "--root", "-e", "--editable"],
]);
const PIP = /^pip(3(\.\d+)?)?$/;
const PINNED = /(==|>=|<=|~=|!=|<|>|@)|^[./]|\.(whl|tar\.gz|zip)$/;

/** SDF014, SDF015: apk add and pip install name exact versions. */
export function pinnedPackages(context: DockerfileContext): void {
  eachRun(context, (step) => {
    for (const command of step.commands) {
      const apk = argsOf(command, /^apk$/, "add");
      const loose = apk ? packages(apk, APK_VALUE_FLAGS).filter((p) => !p.includes("=")) : [];
      if (loose.length > 0) {
        context.report("SDF014", step.place, `apk add without versions: ${loose.join(", ")}`);
      }
      const pip = argsOf(command, PIP, "install") ?? pythonDashM(command);
      const unpinned = pip ? packages(pip, PIP_VALUE_FLAGS).filter((p) => !PINNED.test(p)) : [];
      if (unpinned.length > 0) {
        context.report(
          "SDF015",
          step.place,
          `pip install without versions: ${unpinned.join(", ")}`,
        );
      }
    }
  });
}

/** `python -m pip install …`. */
function pythonDashM(command: string[]): string[] | undefined {
  const at = command.indexOf("-m");
  if (at < 0 || !/^python(3(\.\d+)?)?$/.test(command[0] ?? "")) return undefined;
  return argsOf(command.slice(at + 1), PIP, "install");
}
