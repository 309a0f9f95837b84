import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { NODE, ROOT } from "./gateway-harness.ts";

export const CLI_MAIN = join(ROOT, "src/cli/main.ts");
export const CLI_BIN = join(ROOT, "bin/sophia.js");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliOptions {
  cwd?: string;
  /** The entry point run by Node 24: src/cli/main.ts unless told otherwise. */
  script?: string;
}

/**
 * The real `sophia` command in a child process on the project's Node 24, with
 * stdout and stderr collected. The test runner's own variables are left out so
 * the child behaves as it would from a shell.
 */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  /** When the process was spawned, so failures can say how long it had been running. */
  readonly startedAt = performance.now();
  readonly #exit: Promise<Exit>;

  constructor(args: string[], options: CliOptions = {}) {
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    delete env.NODE_OPTIONS;
    this.child = spawn(NODE, [options.script ?? CLI_MAIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
    });
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    // "close", not "exit": by then every byte the process wrote has been read.
    this.#exit = once(this.child, "close").then(([code, signal]) => ({ code, signal }) as Exit);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for the process to exit; past `timeoutMs` it is killed and the wait fails. */
  async exited(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(
          new Error(
            `sophia did not exit within ${timeoutMs} ms ${this.#age()}\nstderr: ${this.stderr}`,
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.#exit, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until stdout matches `pattern`; fails if the process exits first or `timeoutMs` pass. */
  async stdoutMatch(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (let round = 0; round < 10_000 && Date.now() < deadline; round++) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (!this.running) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `stdout never matched ${pattern} ${this.#age()}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
    );
  }

  #age(): string {
    const ms = Math.round(performance.now() - this.startedAt);
    return `(${this.running ? "running" : `exit ${this.child.exitCode}`}, ${ms} ms after spawn)`;
  }

  /** Ends the process for good (cleanup after a failed test). */
  kill(): void {
    if (this.running) this.child.kill("SIGKILL");
  }
}

/** Runs `sophia args` to completion within `timeoutMs`. */
export async function runCli(args: string[], timeoutMs = 15_000, options: CliOptions = {}) {
  const cli = new CliProcess(args, options);
  cli.child.stdin.end();
  const exit = await cli.exited(timeoutMs);
  return { ...exit, stdout: cli.stdout, stderr: cli.stderr };
}
