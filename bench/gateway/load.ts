/**
 * The load generator, run as its own process (forked by the orchestrator) so that its CPU
 * and event loop are apart from the orchestrator's sampling. It receives one LoadSpec,
 * opens C sessions, makes each call the echo tool back-to-back through a warm-up and a
 * measured window, closes the sessions and sends back one LoadResult.
 */
import { Pool } from "undici";
import type { ErrorKind, LoadMessage, LoadResult, LoadSpec } from "./load-types.ts";
import { callTool, closeSession, McpHttpError, type McpSession, openSession } from "./mcp-http.ts";
import { createLatencyRecorder, summarize } from "./stats.ts";

/** A count bound beside the time bound: no session makes more calls than this in a cell. */
const MAX_CALLS_PER_SESSION = 10_000_000;
const CLOSE_TIMEOUT_MS = 5_000;

interface Window {
  measureFrom: number;
  endAt: number;
}

function newErrors(): Record<ErrorKind, number> {
  return { "rpc-error": 0, "tool-error": 0, mismatch: 0, http: 0, transport: 0, "no-response": 0 };
}

function classify(result: unknown, text: string): ErrorKind | undefined {
  const body = result as { isError?: unknown; content?: Array<{ text?: unknown }> } | undefined;
  if (body?.isError === true) return "tool-error";
  return body?.content?.[0]?.text === text ? undefined : "mismatch";
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Tells the orchestrator when the window opens and closes; resolves to the CPU used in it. */
function phaseMarks(
  spec: LoadSpec,
  send: (message: LoadMessage) => void,
): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    let atMeasure = process.cpuUsage();
    setTimeout(() => {
      atMeasure = process.cpuUsage();
      send({ type: "measure" });
    }, spec.warmupMs);
    setTimeout(() => {
      resolve(process.cpuUsage(atMeasure));
      send({ type: "end" });
    }, spec.warmupMs + spec.durationMs);
  });
}

async function runCell(spec: LoadSpec, send: (message: LoadMessage) => void): Promise<LoadResult> {
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, {
    connections: spec.concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
  });
  const errors = newErrors();
  const errorSamples: string[] = [];
  const noteError = (kind: ErrorKind, message: string): void => {
    errors[kind]++;
    if (errorSamples.length < 5) errorSamples.push(`${kind}: ${message}`);
  };

  const initStart = performance.now();
  const opened = await withTimeout(
    Promise.allSettled(
      Array.from({ length: spec.concurrency }, () =>
        // Per-exchange bound as long as the whole: a bridge that spawns a process per
        // session (supergateway) answers the last of 64 initializes only after all booted.
        openSession(pool, url.pathname, spec.initTimeoutMs, spec.headers),
      ),
    ),
    spec.initTimeoutMs + 5_000,
    `opening ${spec.concurrency} sessions`,
  );
  const initMs = performance.now() - initStart;
  const sessions: McpSession[] = [];
  let initErrors = 0;
  for (const outcome of opened) {
    if (outcome.status === "fulfilled") sessions.push(outcome.value);
    else {
      initErrors++;
      if (errorSamples.length < 5) errorSamples.push(`init: ${String(outcome.reason)}`);
    }
  }

  const start = performance.now();
  const window: Window = {
    measureFrom: start + spec.warmupMs,
    endAt: start + spec.warmupMs + spec.durationMs,
  };
  const latency = createLatencyRecorder();
  let ok = 0;
  // Both phase marks always fire (the loops may finish a moment before the end mark).
  const cpu = phaseMarks(spec, send);

  const loop = async (session: McpSession, index: number): Promise<void> => {
    for (let n = 0; n < MAX_CALLS_PER_SESSION; n++) {
      const began = performance.now();
      if (began >= window.endAt) return;
      const text = `s${index}-${n}`;
      let kind: ErrorKind | undefined;
      let message = "";
      try {
        const response = await callTool(pool, session, spec.tool, { text }, spec.callTimeoutMs);
        if (response.error !== undefined) {
          kind = "rpc-error";
          message = `${response.error.code} ${response.error.message}`;
        } else {
          kind = classify(response.result, text);
          message = JSON.stringify(response.result).slice(0, 200);
        }
      } catch (error) {
        kind = error instanceof McpHttpError ? error.kind : "transport";
        message = (error as Error).message;
      }
      const ended = performance.now();
      if (ended >= window.measureFrom && ended < window.endAt) {
        if (kind === undefined) {
          ok++;
          latency.add(ended - began);
        } else noteError(kind, message);
      }
      // A refused or broken connection fails fast; do not spin on it.
      if (kind === "transport" || kind === "http") await new Promise((r) => setTimeout(r, 10));
    }
  };
  await Promise.all(sessions.map((session, index) => loop(session, index)));
  const cpuUsed = await cpu;

  await Promise.allSettled(sessions.map((s) => closeSession(pool, s, CLOSE_TIMEOUT_MS)));
  await withTimeout(pool.close(), CLOSE_TIMEOUT_MS, "closing the pool").catch(() => pool.destroy());

  const measuredMs = spec.durationMs;
  return {
    concurrency: spec.concurrency,
    sessionsOpened: sessions.length,
    initErrors,
    initMs,
    measuredMs,
    ok,
    errors,
    errorSamples,
    reqPerSec: ok / (measuredMs / 1000),
    latency: summarize(latency),
    loadCpuPercent: ((cpuUsed.user + cpuUsed.system) / 1000 / measuredMs) * 100,
  };
}

function main(): void {
  const send = (message: LoadMessage): void => {
    process.send?.(message);
  };
  process.once("message", (spec: LoadSpec) => {
    // Self-bound in case the orchestrator is gone and nobody kills this process.
    const budget = spec.initTimeoutMs + spec.warmupMs + spec.durationMs + 60_000;
    setTimeout(() => process.exit(3), budget).unref();
    runCell(spec, send)
      .then((result): LoadMessage => ({ type: "result", result }))
      .catch((error: unknown): LoadMessage => ({ type: "fatal", message: String(error) }))
      // Disconnect only once the last message is handed over, or it may be lost.
      .then((last) => process.send?.(last, undefined, {}, () => process.disconnect?.()));
  });
  process.on("disconnect", () => process.exit(0));
}

if (import.meta.main) main();
