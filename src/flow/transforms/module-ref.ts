/**
 * Functions named in configuration: `{ module: ./transforms/x.ts, export: name }`,
 * resolved relative to the configuration file and loaded with dynamic import.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { errorMessage, SophiaError } from "../../shared/errors.ts";

export const moduleRefSchema = z
  .object({
    /** Path of a .ts/.js module, relative to the configuration file. */
    module: z.string().min(1),
    /** Name of the exported function; `default` when absent. */
    export: z.string().min(1).default("default"),
  })
  .strict();

export type ModuleRef = z.infer<typeof moduleRefSchema>;

export interface TransformContext {
  /** Folder of the configuration file: module paths are relative to it. */
  configDir: string;
}

/**
 * Imports the module and returns the named export, checked to be a function.
 * `expects` describes the signature, for the error message.
 * @throws SophiaError CONFIG_INVALID naming the file, the export and what was found
 */
export async function loadModuleFunction(
  ref: ModuleRef,
  context: TransformContext,
  expects: string,
): Promise<(...args: never[]) => unknown> {
  const file = isAbsolute(ref.module) ? ref.module : resolve(context.configDir, ref.module);
  if (!existsSync(file))
    throw new SophiaError(
      "CONFIG_INVALID",
      `transform module ${ref.module} not found (looked for ${file})`,
      {
        hint: `module paths are relative to the configuration file's folder (${context.configDir})`,
      },
    );
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new SophiaError(
      "CONFIG_INVALID",
      `transform module ${file} failed to load: ${errorMessage(cause)}`,
      {
        hint: "fix the module so that it can be imported on its own (node file.ts)",
        cause,
      },
    );
  }
  return pickFunction(loaded, ref.export, file, expects);
}

function pickFunction(
  loaded: Record<string, unknown>,
  name: string,
  file: string,
  expects: string,
): (...args: never[]) => unknown {
  const value = loaded[name];
  if (typeof value === "function") return value as (...args: never[]) => unknown;
  const found = Object.keys(loaded).sort();
  const listing = found.length === 0 ? "nothing" : found.join(", ");
  if (value === undefined)
    throw new SophiaError(
      "CONFIG_INVALID",
      `transform module ${file} has no export "${name}"; it exports ${listing}`,
      {
        hint: `export a function ${expects}, or set "export" to one of the names above`,
      },
    );
  throw new SophiaError(
    "CONFIG_INVALID",
    `export "${name}" of ${file} is ${value === null ? "null" : typeof value}, not a function`,
    { hint: `export a function ${expects}` },
  );
}
