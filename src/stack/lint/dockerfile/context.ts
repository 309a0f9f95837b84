/** A parsed Dockerfile cut into build stages, and the report function its rules share. */
import { DockerfileParser, type From, type Instruction } from "dockerfile-ast";
import { ruleInfo } from "../catalog.ts";
import type { Finding } from "../types.ts";

/** A position as dockerfile-ast gives it: zero-based line and character. */
export interface Place {
  start: { line: number; character: number };
}

export interface Stage {
  index: number;
  from: From;
  /** `AS name`, lowercased (stage names are case-insensitive). */
  name: string | undefined;
  instructions: Instruction[];
}

export interface DockerfileContext {
  file: string;
  stages: Stage[];
  /** Instructions before the first FROM (global ARGs). */
  preamble: Instruction[];
  /** ARG defaults declared before the first FROM (undefined: declared without a default). */
  globalArgs: Map<string, string | undefined>;
  /** True for production images: HEALTHCHECK is required (see docs/lint.md). */
  prod: boolean;
  report(rule: string, place: Place, message: string): void;
}

export function createContext(text: string, file: string, prod: boolean, findings: Finding[]) {
  const dockerfile = DockerfileParser.parse(text);
  const globalArgs = new Map<string, string | undefined>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) globalArgs.set(property.getName(), property.getValue() ?? undefined);
  }
  const stages: Stage[] = [];
  const preamble: Instruction[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const from = instruction as From;
      const name = from.getBuildStage()?.toLowerCase() ?? undefined;
      stages.push({ index: stages.length, from, name, instructions: [] });
    } else (stages.at(-1)?.instructions ?? preamble).push(instruction);
  }
  const context: DockerfileContext = {
    file,
    stages,
    preamble,
    globalArgs,
    prod,
    report(rule, place, message) {
      const info = ruleInfo(rule);
      findings.push({
        rule,
        severity: info.severity,
        file,
        line: place.start.line + 1,
        col: place.start.character + 1,
        message,
        hint: info.hint,
      });
    },
  };
  return context;
}

/** Instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** The text after the keyword, continuation lines joined. */
export function argumentsText(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? "";
}
