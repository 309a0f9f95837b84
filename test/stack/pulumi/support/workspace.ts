/**
 * Writes rendered files into a temporary folder inside the repository, so the
 * generated program resolves @pulumi/* from this repository's node_modules.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { GeneratedFile } from "../../../../src/stack/model.ts";

const TEST_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface Workspace {
  root: string;
  /** Absolute path of a rendered file's folder, e.g. dir("deploy/pulumi"). */
  dir(relative: string): string;
  remove(): Promise<void>;
}

export async function writeWorkspace(files: GeneratedFile[]): Promise<Workspace> {
  const root = join(TEST_ROOT, `.tmp-pulumi-${randomBytes(6).toString("hex")}`);
  for (const file of files) {
    const target = join(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  return {
    root,
    dir: (relative) => join(root, relative),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
