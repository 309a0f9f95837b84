import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./gateway-harness.ts";

/** The n8n release the end-to-end tests run (installed by scripts/n8n/ensure.sh). */
export const N8N_VERSION = "1.123.81";

/** Where scripts/n8n/ensure.sh installs n8n: $SOPHIA_N8N_HOME, else <repo>/.cache/n8n-<version>. */
export function n8nHome(): string {
  return process.env.SOPHIA_N8N_HOME || join(ROOT, ".cache", `n8n-${N8N_VERSION}`);
}

/** True once ensure.sh has finished an install of N8N_VERSION in `home` (its marker is written last). */
export function n8nInstalled(home = n8nHome()): boolean {
  const marker = join(home, ".sophia-ready");
  return existsSync(marker) && readFileSync(marker, "utf8").trim() === N8N_VERSION;
}

/**
 * Why the n8n suites skip, or `false` to run them. They skip only when n8n was
 * never installed AND SOPHIA_N8N_OPTIONAL=1; otherwise a missing n8n is a
 * failure (see `requireN8n`).
 */
export function n8nSkip(): string | false {
  if (n8nInstalled() || process.env.SOPHIA_N8N_OPTIONAL !== "1") return false;
  return `n8n ${N8N_VERSION} is not installed in ${n8nHome()} and SOPHIA_N8N_OPTIONAL=1: run scripts/n8n/ensure.sh to test against a real n8n`;
}

/** The n8n entry point, or an error that says how to install it. */
export function requireN8n(home = n8nHome()): string {
  if (!n8nInstalled(home)) {
    throw new Error(
      `n8n ${N8N_VERSION} is not installed in ${home}: run scripts/n8n/ensure.sh ` +
        "(SOPHIA_N8N_HOME picks the folder; SOPHIA_N8N_OPTIONAL=1 skips the n8n tests instead)",
    );
  }
  return join(home, "node_modules", "n8n", "bin", "n8n");
}

/** The built n8n-nodes-sophia package (`npm test` builds it: stage "n8n package"). */
export const SOPHIA_NODES_PACKAGE = join(ROOT, "packages", "n8n-nodes-sophia");

/** The package's dist folder, or an error saying how to build it. */
export function requireSophiaNodes(): string {
  const dist = join(SOPHIA_NODES_PACKAGE, "dist");
  for (const file of ["nodes/Sophia/Sophia.node.js", "nodes/SophiaTrigger/SophiaTrigger.node.js"]) {
    if (!existsSync(join(dist, file))) {
      throw new Error(
        `${join(dist, file)} is missing: run 'npm ci --ignore-scripts && npm run build' in packages/n8n-nodes-sophia (npm test does it)`,
      );
    }
  }
  return dist;
}

const run = promisify(execFile);

/**
 * `npm pack` of the built package into `dir`, unpacked there, as a UI install
 * gets it; returns the unpacked folder (package.json and dist).
 */
export async function packSophiaNodes(dir: string): Promise<string> {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: SOPHIA_NODES_PACKAGE,
    timeout: 60_000,
  });
  const tarball = stdout.trim().split("\n").at(-1) ?? "";
  await run("tar", ["-xzf", join(dir, tarball), "-C", dir], { timeout: 30_000 });
  return join(dir, "package");
}
