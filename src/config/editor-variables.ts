/**
 * Variables that MCP client files use besides `${NAME}`: Cursor and VS Code's
 * `${env:NAME}`, `${workspaceFolder}` and `${userHome}`, and VS Code's
 * `${input:id}`, which the editor prompts for. Sophia cannot prompt, so an
 * input is read from an environment variable named after its id
 * (`github-token` → `GITHUB_TOKEN`).
 */
import { basename, dirname } from "node:path";
import { envResolver, type Resolve } from "./interpolate.ts";

const EDITOR_FOLDERS = new Set([".vscode", ".cursor"]);

export function inputVariable(id: string): string {
  const name = id.toUpperCase().replaceAll(/[^A-Z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The folder a client file belongs to: the parent of `.vscode/` or `.cursor/`, else its own folder. */
export function workspaceFolder(file: string): string {
  const folder = dirname(file);
  return EDITOR_FOLDERS.has(basename(folder)) ? dirname(folder) : folder;
}

export function editorResolver(env: Record<string, string | undefined>, file: string): Resolve {
  const fromEnv = envResolver(env);
  return (name) => {
    if (name.startsWith("env:")) return fromEnv(name.slice(4));
    if (name.startsWith("input:")) {
      const id = name.slice(6);
      const variable = inputVariable(id);
      const value = env[variable];
      if (value !== undefined) return { kind: "value", value };
      const hint = `VS Code prompts for input "${id}"; Sophia reads it from ${variable}`;
      return { kind: "unset", variable, hint };
    }
    if (name === "workspaceFolder")
      return { kind: "value", value: env.workspaceFolder ?? workspaceFolder(file) };
    if (name === "userHome") {
      const home = env.HOME ?? env.USERPROFILE;
      return home === undefined
        ? { kind: "unset", variable: "HOME" }
        : { kind: "value", value: home };
    }
    return fromEnv(name);
  };
}
