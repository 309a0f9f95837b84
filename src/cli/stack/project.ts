/** Finds sophia.yaml and the project root (its folder) for the stack commands. */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { loadConfig, type SophiaConfig } from "../../config/index.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Io } from "../io.ts";

export interface Project {
  config: SophiaConfig;
  text: string;
  root: string;
  /** The config file relative to the root, with `/`. */
  source: string;
}

export async function loadProject(file: string | undefined, io: Io): Promise<Project> {
  const config = await loadConfig({ file, cwd: io.cwd, env: io.env });
  if (config.file === undefined) {
    throw new SophiaError("CONFIG_NOT_FOUND", `No sophia.yaml in ${io.cwd}`, {
      hint: "Run from the folder holding sophia.yaml, or pass --config FILE.",
    });
  }
  if (config.format !== "sophia") {
    throw new SophiaError(
      "USAGE",
      `${config.file} is an mcpServers client file, not a sophia.yaml`,
      {
        hint: "Deployment files come from a sophia.yaml (its servers:, flows: and deploy: sections).",
      },
    );
  }
  const root = dirname(config.file);
  const text = await readFile(config.file, "utf8");
  return { config, text, root, source: toPosix(relative(root, config.file)) };
}

/** A folder given on the command line, as a path relative to the project root. */
export function insideRoot(root: string, cwd: string, path: string, option: string): string {
  const target = resolve(cwd, path);
  const inside = relative(root, target);
  if (inside.startsWith("..") || isAbsolute(inside)) {
    throw new SophiaError("USAGE", `${option} ${path} is outside the project folder ${root}`, {
      hint: `Give a folder inside ${root} (the folder holding sophia.yaml).`,
    });
  }
  return toPosix(inside) || ".";
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}
