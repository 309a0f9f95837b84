import type { ServerConfig } from "../../config/types.ts";
import type { RequestContext } from "../http/request-context.ts";
import type {
  JsonRpcErrorObject,
  JsonRpcMessage,
  JsonRpcNotification,
  Params,
} from "../jsonrpc/messages.ts";
import type { HealthReport } from "../resilience/health-status.ts";

/**
 * A byte-level MCP transport towards one upstream connection (a child process,
 * an HTTP session, a legacy SSE stream). It moves whole JSON-RPC messages; it
 * knows nothing of ids, sessions of clients, or timeouts.
 */
export interface UpstreamTransport {
  start(): Promise<void>;
  /**
   * Send one message. For streamable HTTP, messages the server sends back in
   * the scope of this POST are delivered through `onmessage` with
   * `relatedRequestId` set to this message's id.
   */
  send(message: JsonRpcMessage): Promise<void>;
  close(): Promise<void>;
  onmessage?: (message: JsonRpcMessage, relatedRequestId?: string | number) => void;
  /** The connection ended (process exit, stream closed); `error` says why when abnormal. */
  onclose?: (error?: Error) => void;
  /** A recoverable problem worth logging (garbage on stdout, a bad SSE event). */
  onerror?: (error: Error) => void;
  /** Set by transports that negotiated an HTTP session, after the first response. */
  readonly sessionId?: string | undefined;
  /** Tells HTTP transports which protocol revision to put in `MCP-Protocol-Version`. */
  setProtocolVersion?(version: string): void;
}

/** What `initialize` told us about the upstream. */
export interface UpstreamInfo {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: { name: string; version: string; [key: string]: unknown };
  instructions?: string;
}

export type UpstreamState = "starting" | "ready" | "restarting" | "down" | "stopped";

/**
 * Ties one upstream call to the downstream client that made it, so that what
 * the upstream sends in the scope of the call reaches that client and no other.
 */
export interface CallContext {
  /** Aborts the call: the upstream gets `notifications/cancelled`. */
  signal?: AbortSignal;
  /** Overrides the server's configured timeout for this call. */
  timeoutMs?: number;
  /**
   * Notifications the upstream sent for this call (progress with the caller's
   * ORIGINAL progress token restored, logging, …).
   */
  onNotification?(notification: JsonRpcNotification): void;
  /**
   * A request the upstream sent for this call (sampling/createMessage,
   * elicitation/create, roots/list). The answer is relayed back upstream.
   */
  onServerRequest?(
    method: string,
    params: Params | undefined,
    signal: AbortSignal,
  ): Promise<CallOutcome>;
  /** The HTTP request the call came in on, when audit or tracing is on (its id, its span). */
  request?: RequestContext;
}

/** A JSON-RPC level outcome: the upstream answered, with a result or a JSON-RPC error. */
export type CallOutcome = { result: Record<string, unknown> } | { error: JsonRpcErrorObject };

/**
 * One configured server: one or more replicas (processes or connections),
 * restarted with backoff when they die. Transport failures and timeouts are
 * thrown as `SophiaError` with codes UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT /
 * UPSTREAM_OVERLOADED; a JSON-RPC error from the server is a normal outcome.
 */
export interface Upstream {
  readonly name: string;
  readonly config: ServerConfig;
  readonly state: UpstreamState;
  /** Set once the first replica has initialized. */
  readonly info: UpstreamInfo | undefined;
  /** Calls in flight across replicas (for metrics and readiness). */
  readonly inFlight: number;
  /** Last error that took a replica down, for /readyz. */
  readonly lastError: string | undefined;
  /**
   * Connects and initializes. Resolves when at least one replica is ready;
   * rejects after `connectTimeoutMs` while restarts go on in the background.
   */
  start(): Promise<void>;
  request(method: string, params: Params | undefined, context?: CallContext): Promise<CallOutcome>;
  /** Sends a notification to every ready replica (for example roots/list_changed). */
  notify(method: string, params?: Params): void;
  /**
   * Notifications not tied to a call: list_changed, resources/updated,
   * logging outside a call. Returns an unsubscribe function.
   */
  onNotification(listener: (notification: JsonRpcNotification) => void): () => void;
  /** Listener for state changes (for metrics, readiness and list refresh). */
  onStateChange(listener: (state: UpstreamState) => void): () => void;
  /** Stops every replica: waits up to `graceMs` for in-flight calls, then kills. */
  stop(graceMs?: number): Promise<void>;
  /** Ready / degraded / down per the health pings, breakers and ejections (managed upstreams). */
  health?(): HealthReport;
  /** Hot reload: later calls go to `successor`; calls in flight finish here. */
  handOver?(successor: Upstream): void;
}
