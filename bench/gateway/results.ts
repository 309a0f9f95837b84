/** Where a run's facts are written: bench/results/gateway-<timestamp>.json. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";

function packageVersion(root: string, name: string): string | undefined {
  try {
    const text = readFileSync(join(root, "node_modules", name, "package.json"), "utf8");
    return (JSON.parse(text) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function gitHead(root: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      encoding: "utf8",
      timeout: 5_000,
    }).trim();
  } catch {
    return undefined;
  }
}

/** The machine and software the numbers were measured on. */
export function environment(root: string): Record<string, unknown> {
  return {
    node: process.version,
    kernel: release(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    totalMemMb: Math.round(totalmem() / 2 ** 20),
    commit: gitHead(root),
    packages: {
      "@modelcontextprotocol/sdk": packageVersion(root, "@modelcontextprotocol/sdk"),
      supergateway: packageVersion(root, "supergateway"),
      "mcp-proxy": packageVersion(root, "mcp-proxy"),
      undici: packageVersion(root, "undici"),
    },
  };
}

export function writeResults(dir: string, name: string, data: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replaceAll(":", "-")
    .replace(/\.\d+Z$/, "Z");
  const file = join(dir, `${name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
