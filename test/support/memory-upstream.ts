import type { ServerConfig } from "../../src/config/types.ts";
import type { JsonRpcNotification, Params } from "../../src/gateway/jsonrpc/messages.ts";
import type {
  CallContext,
  CallOutcome,
  Upstream,
  UpstreamInfo,
  UpstreamState,
} from "../../src/gateway/upstream/types.ts";

export type Handler = (
  params: Params | undefined,
  context: CallContext | undefined,
) => Promise<CallOutcome> | CallOutcome;

/**
 * An in-memory upstream for unit tests of routing and aggregation logic. It is
 * our own interface, not a database or broker: integration tests use real
 * MCP servers over stdio and HTTP.
 */
export class MemoryUpstream implements Upstream {
  readonly name: string;
  readonly config: ServerConfig;
  state: UpstreamState = "ready";
  info: UpstreamInfo | undefined;
  inFlight = 0;
  lastError: string | undefined;
  readonly calls: Array<{ method: string; params: Params | undefined }> = [];
  readonly notified: Array<{ method: string; params: Params | undefined }> = [];
  readonly handlers = new Map<string, Handler>();
  readonly #notificationListeners = new Set<(n: JsonRpcNotification) => void>();
  readonly #stateListeners = new Set<(s: UpstreamState) => void>();

  constructor(
    name: string,
    capabilities: Record<string, unknown> = {
      tools: {},
      prompts: {},
      resources: { subscribe: true },
    },
  ) {
    this.name = name;
    this.config = {
      transport: "stdio",
      command: "none",
      args: [],
      env: {},
      cwd: undefined,
      pool: 1,
      prefix: name,
      enabled: true,
      timeoutMs: 1000,
      maxConcurrency: 8,
      connectTimeoutMs: 1000,
    };
    this.info = {
      protocolVersion: "2025-11-25",
      capabilities,
      serverInfo: { name: `${name}-server`, version: "1.0.0" },
    };
  }

  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  async start(): Promise<void> {}

  async request(method: string, params?: Params, context?: CallContext): Promise<CallOutcome> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) return { error: { code: -32601, message: `method not found: ${method}` } };
    this.inFlight++;
    try {
      return await handler(params, context);
    } finally {
      this.inFlight--;
    }
  }

  notify(method: string, params?: Params): void {
    this.notified.push({ method, params });
  }

  onNotification(listener: (n: JsonRpcNotification) => void): () => void {
    this.#notificationListeners.add(listener);
    return () => this.#notificationListeners.delete(listener);
  }

  onStateChange(listener: (s: UpstreamState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  emit(notification: JsonRpcNotification): void {
    for (const listener of this.#notificationListeners) listener(notification);
  }

  setState(state: UpstreamState): void {
    this.state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  async stop(): Promise<void> {
    this.setState("stopped");
  }
}

export function toolList(...names: string[]): Handler {
  return () => ({
    result: {
      tools: names.map((name) => ({
        name,
        description: `${name} tool`,
        inputSchema: { type: "object" },
      })),
    },
  });
}
