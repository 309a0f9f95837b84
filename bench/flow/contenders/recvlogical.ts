/**
 * The decoding floor: `pg_recvlogical` with `test_decoding`, writing to a pipe
 * this process reads. Each INSERT line's ts_ms is tallied.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Tally } from "../tally.ts";

const TS = /ts_ms\[double precision\]:([0-9.e+]+)/;

export function findRecvlogical(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort().reverse() : [];
  for (const version of versions) {
    const path = `${root}/${version}/bin/pg_recvlogical`;
    if (existsSync(path)) return path;
  }
  return "pg_recvlogical";
}

export function startRecvlogical(
  url: string,
  slot: string,
  current: () => Tally | undefined,
): ChildProcess {
  const child = spawn(
    findRecvlogical(),
    ["-d", url, "--slot", slot, "--start", "-f", "-", "-F", "0", "-s", "1"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! });
  lines.on("line", (line) => {
    const match = TS.exec(line);
    if (match) current()?.add(Number(match[1]));
  });
  return child;
}
