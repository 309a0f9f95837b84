/** Rules on single instructions: ADD, CMD/ENTRYPOINT form, WORKDIR, MAINTAINER, secrets in ARG/ENV. */
import type { Arg, Env, JSONInstruction } from "dockerfile-ast";
import { secretReason } from "../secrets.ts";
import { argumentsText, type DockerfileContext, instructionsOf } from "./context.ts";

const REMOTE = /^(https?:\/\/|git@|git:\/\/)/i;
const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$/i;

/** SDF003: ADD only for what COPY cannot do (remote sources, local archives to unpack). */
export function copyNotAdd(context: DockerfileContext): void {
  for (const stage of context.stages) {
    for (const add of instructionsOf(stage, "ADD")) {
      const words = add.getArguments().map((argument) => argument.getValue());
      const sources = words.filter((word) => !word.startsWith("--")).slice(0, -1);
      const local = sources.filter((source) => !REMOTE.test(source) && !ARCHIVE.test(source));
      if (local.length > 0) {
        context.report("SDF003", add.getRange(), `ADD copies ${local.join(", ")}: use COPY`);
      }
    }
  }
}

/** SDF004: CMD and ENTRYPOINT in JSON (exec) form. */
export function execForm(context: DockerfileContext): void {
  for (const stage of context.stages) {
    for (const keyword of ["CMD", "ENTRYPOINT"]) {
      for (const instruction of instructionsOf(stage, keyword) as JSONInstruction[]) {
        if (instruction.getArguments().length === 0) continue;
        if (instruction.getOpeningBracket() && instruction.getClosingBracket()) continue;
        context.report("SDF004", instruction.getRange(), `${keyword} is in shell form`);
      }
    }
  }
}

/** SDF012: WORKDIR absolute (or a variable, resolved at build time). */
export function workdirAbsolute(context: DockerfileContext): void {
  for (const stage of context.stages) {
    for (const workdir of instructionsOf(stage, "WORKDIR")) {
      const path = argumentsText(workdir)
        .trim()
        .replace(/^["']|["']$/g, "");
      if (path.startsWith("/") || path.startsWith("$") || /^[A-Za-z]:[\\/]/.test(path)) continue;
      context.report("SDF012", workdir.getRange(), `WORKDIR ${path} is relative`);
    }
  }
}

/** SDF016: MAINTAINER is deprecated. */
export function noMaintainer(context: DockerfileContext): void {
  for (const stage of context.stages) {
    for (const maintainer of instructionsOf(stage, "MAINTAINER")) {
      context.report("SDF016", maintainer.getRange(), "MAINTAINER is deprecated");
    }
  }
}

/** SDF009: no literal secrets in ARG defaults or ENV values. */
export function noSecretsInArgEnv(context: DockerfileContext): void {
  const global = context.preamble.filter((i) => i.getKeyword() === "ARG") as Arg[];
  const checked = context.stages.flatMap((stage) => [
    ...(instructionsOf(stage, "ARG") as Arg[]),
    ...(instructionsOf(stage, "ENV") as Env[]),
  ]);
  for (const instruction of [...global, ...checked]) {
    for (const property of instruction.getProperties()) {
      const reason = secretReason(property.getName(), property.getValue());
      if (!reason) continue;
      const keyword = instruction.getKeyword();
      context.report(
        "SDF009",
        property.getNameRange(),
        `${keyword} ${property.getName()}: ${reason}`,
      );
    }
  }
}
