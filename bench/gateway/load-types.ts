/** What the orchestrator and the forked load generator exchange over IPC. */
import type { LatencySummary } from "./stats.ts";

export interface LoadSpec {
  /** Streamable HTTP endpoint, e.g. `http://127.0.0.1:4000/mcp`. */
  url: string;
  /** Name of the echo tool at this target (`echo`, or `echo__echo` behind Sophia). */
  tool: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Bound on opening all sessions (and on each initialize exchange). */
  initTimeoutMs: number;
  /** Bound on one exchange (headers and body each). */
  callTimeoutMs: number;
  /** Extra request headers (the API key of sophia-prod). */
  headers?: Record<string, string>;
}

/** Why a call counted as an error. */
export type ErrorKind =
  | "rpc-error"
  | "tool-error"
  | "mismatch"
  | "http"
  | "transport"
  | "no-response";

export interface LoadResult {
  concurrency: number;
  sessionsOpened: number;
  initErrors: number;
  /** Time to open all sessions (initialize + initialized), in milliseconds. */
  initMs: number;
  /** Length of the measured window, in milliseconds. */
  measuredMs: number;
  /** Calls completed inside the measured window that echoed the right text. */
  ok: number;
  errors: Record<ErrorKind, number>;
  /** A few error messages, to tell what went wrong. */
  errorSamples: string[];
  /** Successful calls per second in the measured window. */
  reqPerSec: number;
  /** Latency of the successful calls in the measured window. */
  latency: LatencySummary;
  /** CPU used by the load generator during the window, in percent of one core. */
  loadCpuPercent: number;
}

export type LoadMessage =
  | { type: "measure" }
  | { type: "end" }
  | { type: "result"; result: LoadResult }
  | { type: "fatal"; message: string };
