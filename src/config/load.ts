/** Finds and reads the configuration file; the only part of config that touches the disk. */
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { SophiaError } from "../shared/errors.ts";
import { defaultConfig } from "./defaults.ts";
import { parseConfigText } from "./parse.ts";
import type { SophiaConfig } from "./types.ts";

export interface LoadConfigOptions {
  /** A path given by the user (relative to `cwd`); without it, sophia.yaml / sophia.yml in `cwd`. */
  file?: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
}

export const DEFAULT_FILE_NAMES = ["sophia.yaml", "sophia.yml"] as const;

/**
 * @throws SophiaError CONFIG_NOT_FOUND (the given file does not exist),
 *   CONFIG_INVALID or CONFIG_ENV_MISSING (a ConfigError listing every problem).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<SophiaConfig> {
  const file =
    options.file === undefined
      ? await findDefaultFile(options.cwd)
      : resolve(options.cwd, options.file);
  if (file === undefined) return defaultConfig();
  return parseConfigText(await readConfigFile(file), { file, env: options.env });
}

async function findDefaultFile(cwd: string): Promise<string | undefined> {
  const candidates = DEFAULT_FILE_NAMES.map((name) => resolve(cwd, name));
  const present: string[] = [];
  for (const candidate of candidates) {
    if (await isFile(candidate)) present.push(candidate);
  }
  if (present.length > 1) {
    throw new SophiaError(
      "CONFIG_INVALID",
      `Both ${present.join(" and ")} exist; Sophia would not know which to read.`,
      {
        hint: "Remove or rename one of them, or choose one explicitly with --config.",
      },
    );
  }
  return present[0];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new SophiaError("CONFIG_NOT_FOUND", `Configuration file not found: ${file}`, {
        hint: "Check the path, or leave it out to use sophia.yaml from the current directory (or the built-in defaults).",
        cause: error,
      });
    }
    if (code === "EISDIR") {
      throw new SophiaError(
        "CONFIG_NOT_FOUND",
        `Configuration path is a directory, not a file: ${file}`,
        {
          hint: "Give the path of the sophia.yaml (or mcpServers JSON) file inside it.",
          cause: error,
        },
      );
    }
    throw new SophiaError(
      "CONFIG_INVALID",
      `Configuration file cannot be read (${code ?? "error"}): ${file}`,
      {
        hint: "Check the file's permissions.",
        cause: error,
      },
    );
  }
}
