/**
 * Every process the benchmark starts goes through here, so that all of them can be
 * stopped on the normal path, on errors, on Ctrl-C and on exit. Targets run in their own
 * process group (so a group signal reaches their stdio children); descendants that left
 * the group (supergateway detaches each per-session child) are remembered by pid and
 * start time before signalling, so no unrelated process that reused a pid is touched.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { descendantsOf, readStartTime } from "./rss.ts";

export interface Managed {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Set once the process has exited. */
  exit: { code: number | null; signal: string | null } | undefined;
}

const live = new Set<Managed>();

export interface StartOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: StartOptions,
): Managed {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    // stdin is ignored: supergateway and others stop when a piped stdin closes.
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  const managed: Managed = {
    name,
    pid: child.pid,
    child,
    logFile: options.logFile,
    exit: undefined,
  };
  live.add(managed);
  child.on("exit", (code, signal) => {
    managed.exit = { code, signal };
  });
  return managed;
}

/** The last lines of a process's output, for "target failed: …" messages. */
export function logTail(managed: Managed, lines = 15): string {
  try {
    return readFileSync(managed.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

interface Identity {
  pid: number;
  start: string | undefined;
}

function snapshot(pid: number): Identity[] {
  return [pid, ...descendantsOf(pid)].map((each) => ({ pid: each, start: readStartTime(each) }));
}

function signal(managed: Managed, identities: Identity[], name: NodeJS.Signals): void {
  try {
    process.kill(-managed.pid, name);
  } catch {
    // The group is already gone.
  }
  for (const { pid, start } of identities) {
    if (start === undefined || readStartTime(pid) !== start) continue;
    try {
      process.kill(pid, name);
    } catch {
      // Exited meanwhile.
    }
  }
}

function gone(identities: Identity[]): boolean {
  return identities.every(({ pid, start }) => start === undefined || readStartTime(pid) !== start);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process and its tree are gone. */
export async function stopProcess(managed: Managed, graceMs = 3_000): Promise<void> {
  const identities = snapshot(managed.pid);
  signal(managed, identities, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (!gone(identities) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!gone(identities)) {
    signal(managed, [...identities, ...snapshot(managed.pid)], "SIGKILL");
    const killDeadline = Date.now() + 2_000;
    while (!gone(identities) && Date.now() < killDeadline)
      await new Promise((r) => setTimeout(r, 50));
  }
  live.delete(managed);
}

export async function stopAll(graceMs = 1_000): Promise<void> {
  await Promise.all([...live].map((managed) => stopProcess(managed, graceMs)));
}

/** Last resort on process exit: synchronous SIGKILL to everything still registered. */
export function killAllSync(): void {
  for (const managed of live) signal(managed, snapshot(managed.pid), "SIGKILL");
  live.clear();
}

/** Registers a forked helper (not in its own group) so that exit paths kill it too. */
export function adopt(name: string, child: ChildProcess): Managed {
  if (child.pid === undefined) throw new Error(`${name}: no pid`);
  const managed: Managed = { name, pid: child.pid, child, logFile: "", exit: undefined };
  live.add(managed);
  child.on("exit", (code, signal) => {
    managed.exit = { code, signal };
    live.delete(managed);
  });
  return managed;
}

/** A port that was free a moment ago on 127.0.0.1 (the target binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
