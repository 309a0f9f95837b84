import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import type { Writable } from "node:stream";
import type { Logger } from "../../shared/logger.ts";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import { childEnv } from "./child-env.ts";
import { decodeMessage } from "./decode.ts";
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from "./line-splitter.ts";
import { serverLogger } from "./server-logger.ts";
import type { UpstreamTransport } from "./types.ts";

export interface StdioTransportOptions {
  /** The server's name, for log lines and messages. */
  name: string;
  command: string;
  args: string[];
  /** Configured variables, merged over the minimal inherited set. */
  env: Record<string, string>;
  cwd: string | undefined;
  logger: Logger;
  maxLineBytes?: number;
  /** After stdin is closed, how long the process gets to exit before SIGTERM. */
  termAfterMs?: number;
  /** After SIGTERM, how long before SIGKILL. */
  killAfterMs?: number;
}

const RESOLVED = Promise.resolve();
const MAX_STDERR_LINE = 64 * 1024;
/** After `exit`, how long stdout may keep delivering buffered lines before the close is reported. */
const EXIT_FLUSH_MS = 200;
// A process group of its own lets close() signal grandchildren too (`npx` → the real server).
const OWN_GROUP = process.platform !== "win32";

/** A child process speaking newline-delimited JSON-RPC on stdin/stdout; stderr goes to the log. */
export class StdioTransport implements UpstreamTransport {
  onmessage?: (message: JsonRpcMessage, relatedRequestId?: string | number) => void;
  onclose?: (error?: Error) => void;
  onerror?: (error: Error) => void;
  readonly #options: StdioTransportOptions;
  readonly #log: Logger;
  #child: ChildProcessWithoutNullStreams | undefined;
  #stdin: Writable | undefined;
  /** Lines written in this tick, sent as one chunk on the next: one system call for many concurrent calls. */
  #outbox: string[] = [];
  readonly #flush = (): void => {
    const lines = this.#outbox;
    this.#outbox = [];
    const stdin = this.#stdin;
    if (stdin !== undefined && !this.#finished && !stdin.writableEnded) stdin.write(lines.join(""));
  };
  #drain: { promise: Promise<void>; resolve: () => void } | undefined;
  #exit: string | undefined;
  #exited = Promise.withResolvers<void>();
  #finished = false;
  #finishedSignal = Promise.withResolvers<void>();
  #closing = false;
  #lastStderr = "";
  #spawning: Promise<void> | undefined;

  constructor(options: StdioTransportOptions) {
    this.#options = options;
    this.#log = serverLogger(options.logger, options.name);
  }

  /** The process id once started, for diagnostics and tests. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<void> {
    this.#spawning = this.#spawn();
    return this.#spawning;
  }

  async #spawn(): Promise<void> {
    const { command, args, env, cwd } = this.#options;
    const child = spawn(command, args, {
      env: childEnv(env),
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      detached: OWN_GROUP,
      windowsHide: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
    } catch (error) {
      throw spawnError(command, cwd, error);
    }
    this.#child = child;
    this.#stdin = child.stdin;
    this.#wire(child);
  }

  send(message: JsonRpcMessage): Promise<void> {
    const stdin = this.#stdin;
    if (stdin === undefined || this.#finished || this.#closing) {
      return Promise.reject(new Error(this.#exit ?? "is not running"));
    }
    if (this.#outbox.length === 0) process.nextTick(this.#flush);
    this.#outbox.push(`${JSON.stringify(message)}\n`);
    return stdin.writableNeedDrain ? this.#waitDrain(stdin) : RESOLVED;
  }

  async close(): Promise<void> {
    this.#closing = true;
    // Closed while spawning (a start deadline): let the spawn finish so the process is not orphaned.
    await this.#spawning?.catch(() => {});
    const child = this.#child;
    if (child === undefined || this.#finished) return;
    if (this.#outbox.length > 0) this.#flush();
    this.#stdin?.end();
    const exited = await this.#stop(child);
    // onclose comes once the output is flushed, at most EXIT_FLUSH_MS after the exit: a caller
    // of close() sees it before close() resolves.
    if (exited) await this.#finishedSignal.promise;
  }

  /** Ends the process: stdin closed first, then SIGTERM, then SIGKILL. False if it never exits. */
  async #stop(child: ChildProcessWithoutNullStreams): Promise<boolean> {
    if (await this.#waitExit(this.#options.termAfterMs ?? 2000)) return true;
    this.#signal(child, "SIGTERM");
    if (await this.#waitExit(this.#options.killAfterMs ?? 2000)) return true;
    this.#signal(child, "SIGKILL");
    return this.#waitExit(5000);
  }

  #wire(child: ChildProcessWithoutNullStreams): void {
    const stdout = new LineSplitter(
      { line: (text) => this.#line(text), oversize: (bytes) => this.#oversize(bytes) },
      this.#options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    );
    const stderr = new LineSplitter(
      {
        line: (text) => this.#stderr(text),
        oversize: () => this.#stderr("[stderr line too long, dropped]"),
      },
      MAX_STDERR_LINE,
    );
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // EPIPE when the process has died; its exit is reported separately.
    child.stdin.on("error", (error) => this.#log.debug({ err: error }, "stdin of upstream failed"));
    child.on("error", (error) => this.onerror?.(error));
    child.on("exit", (code, signal) => this.#onExit(code, signal));
    child.on("close", () => this.#finish());
  }

  #line(text: string): void {
    const decoded = decodeMessage(text);
    if (decoded instanceof Error) {
      this.onerror?.(
        new Error(`server ${this.#options.name} wrote a line that is ${decoded.message}`),
      );
    } else {
      this.onmessage?.(decoded);
    }
  }

  #oversize(bytes: number): void {
    const limit = this.#options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.onerror?.(
      new Error(
        `server ${this.#options.name} wrote a line of ${bytes} bytes, over the ${limit}-byte limit; it was dropped and the call it answered will time out`,
      ),
    );
  }

  #stderr(text: string): void {
    this.#lastStderr = text;
    this.#log.info({ stream: "stderr" }, text);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exit = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
    this.#exited.resolve();
    this.#drain?.resolve();
    // Grandchildren may hold stdout open; do not wait on them forever.
    setTimeout(() => this.#finish(), EXIT_FLUSH_MS).unref();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#child?.stdout.destroy();
    this.#child?.stderr.destroy();
    try {
      if (this.#closing) {
        this.onclose?.();
        return;
      }
      const last =
        this.#lastStderr === "" ? "" : ` (last stderr line: ${this.#lastStderr.slice(0, 200)})`;
      this.onclose?.(new Error(`${this.#exit ?? "closed its output"}${last}`));
    } finally {
      this.#finishedSignal.resolve();
    }
  }

  #waitDrain(stdin: Writable): Promise<void> {
    if (this.#drain === undefined) {
      const waiter = Promise.withResolvers<void>();
      this.#drain = waiter;
      stdin.once("drain", () => {
        this.#drain = undefined;
        waiter.resolve();
      });
    }
    return this.#drain.promise;
  }

  async #waitExit(ms: number): Promise<boolean> {
    if (this.#exit !== undefined) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(resolve, ms, false);
    });
    const exited = await Promise.race([this.#exited.promise.then(() => true), timeout]);
    clearTimeout(timer);
    return exited;
  }

  #signal(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
    try {
      if (OWN_GROUP && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      child.kill(signal);
    }
  }
}

function spawnError(command: string, cwd: string | undefined, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new Error(
      `could not start "${command}": not found${cwd === undefined ? "" : ` (or cwd ${cwd} is missing)`}; check the command and PATH`,
      { cause: error },
    );
  }
  return new Error(`could not start "${command}": ${(error as Error).message}`, { cause: error });
}
