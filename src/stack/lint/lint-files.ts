/**
 * The I/O edge of the linter: finds Dockerfiles and Compose files under the
 * given paths, reads them, forms Compose merge sets and runs the pure linters.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { composeSets, type FileKind, kindOf, kindOfNamed, namesProd } from "./file-kinds.ts";
import {
  lintComposeTexts,
  lintDockerfileText,
  type SourceText,
  sortFindings,
} from "./lint-text.ts";
import type { Finding } from "./types.ts";

export interface LintOptions {
  /** Files or folders; empty means the working folder. */
  paths: readonly string[];
  /** Explicit Compose files merged in this order (like `docker compose -f a -f b`). */
  composeFiles?: readonly string[];
  /** dev, prod or another override name: selects compose.<env>.yaml; prod turns on production checks. */
  env?: string | undefined;
  cwd: string;
}

export interface LintResult {
  findings: Finding[];
  /** Every file read, relative to cwd. */
  files: string[];
}

const SKIPPED_FOLDERS = new Set(["node_modules", ".git"]);
const MAX_FILES = 10_000;

function invalid(message: string, hint: string): SophiaError {
  return new SophiaError("LINT_INPUT_INVALID", message, { hint });
}

/** Files of a kind under a folder, depth-first, skipping node_modules and .git. */
async function walk(folder: string, found: Map<string, FileKind>): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (found.size >= MAX_FILES) return;
    const full = join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) await walk(full, found);
    const kind = entry.isFile() ? kindOf(entry.name) : undefined;
    if (kind) found.set(full, kind);
  }
}

async function collect(paths: readonly string[], cwd: string) {
  const searched = new Map<string, FileKind>();
  const named = new Map<string, FileKind>();
  for (const path of paths.length > 0 ? paths : ["."]) {
    const full = resolve(cwd, path);
    const info = await stat(full).catch((error: unknown) => {
      throw invalid(
        `cannot read ${path}: ${errorMessage(error)}`,
        "check the path; PATH is a file or a folder",
      );
    });
    if (info.isDirectory()) await walk(full, searched);
    else named.set(full, kindOfNamed(basename(full)));
  }
  return { searched, named };
}

function group(files: Iterable<string>): Map<string, string[]> {
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const list = byFolder.get(dirname(file)) ?? [];
    list.push(basename(file));
    byFolder.set(dirname(file), list);
  }
  return byFolder;
}

/** Merge sets (absolute paths) for the Compose files found or named. */
async function planSets(
  searched: string[],
  named: string[],
  env: string | undefined,
): Promise<string[][]> {
  const sets: string[][] = [];
  for (const [folder, names] of group(searched)) {
    for (const set of composeSets(names, env)) sets.push(set.map((name) => join(folder, name)));
  }
  for (const file of named) {
    const folder = dirname(file);
    const siblings = (await readdir(folder)).filter((name) => kindOf(name) === "compose");
    const names = [...new Set([...siblings, basename(file)])];
    const containing = composeSets(names, env).filter((set) => set.includes(basename(file)));
    const chosen = containing.length > 0 ? containing : [[basename(file)]];
    for (const set of chosen) sets.push(set.map((name) => join(folder, name)));
  }
  return sets;
}

async function readText(file: string, cwd: string, cache: Map<string, SourceText>) {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw invalid(
      `cannot read ${relative(cwd, file)}: ${errorMessage(error)}`,
      "check the file exists and is readable",
    );
  });
  const source = { file: relative(cwd, file).split(sep).join("/"), text };
  cache.set(file, source);
  return source;
}

/**
 * Lints every Dockerfile and Compose merge set under `options.paths`.
 * @throws SophiaError LINT_INPUT_INVALID when a path cannot be read or a Compose file is not valid YAML
 */
export async function lintFiles(options: LintOptions): Promise<LintResult> {
  const { cwd, env } = options;
  const explicit = options.composeFiles ?? [];
  const usePaths = options.paths.length > 0 || explicit.length === 0;
  const { searched, named } = usePaths
    ? await collect(options.paths, cwd)
    : { searched: new Map(), named: new Map() };
  const all = [...searched, ...named];
  const cache = new Map<string, SourceText>();
  const findings: Finding[] = [];
  for (const [file, kind] of all) {
    if (kind !== "dockerfile") continue;
    const source = await readText(file, cwd, cache);
    findings.push(
      ...lintDockerfileText(source, { prod: env === "prod" || namesProd(basename(file)) }),
    );
  }
  const composeOf = (map: Map<string, FileKind>) =>
    [...map].filter(([, k]) => k === "compose").map(([f]) => f);
  const sets = await planSets(composeOf(searched), composeOf(named), env);
  if (explicit.length > 0) sets.push(explicit.map((file) => resolve(cwd, file)));
  const seen = new Set<string>();
  for (const set of sets) {
    if (seen.has(set.join("\n"))) continue;
    seen.add(set.join("\n"));
    const sources = await Promise.all(set.map((file) => readText(file, cwd, cache)));
    const prod = env === "prod" || set.some((file) => namesProd(basename(file)));
    findings.push(...lintComposeTexts(sources, { prod }));
  }
  return { findings: sortFindings(findings), files: [...cache.values()].map((s) => s.file).sort() };
}
