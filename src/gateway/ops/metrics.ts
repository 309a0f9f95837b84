import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CallObserver, CallStatus } from "../mcp/forwarder.ts";
import type { Upstream } from "../upstream/types.ts";

/** Distinct tool label values kept per server. */
const MAX_TOOL_LABELS = 256;

/** Buckets from 1 ms to 30 s: tool calls range from cache hits to long jobs. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Prometheus metrics of one gateway, in a registry of its own (no global state). */
export class GatewayMetrics implements CallObserver {
  readonly registry = new Registry();
  readonly #calls: Counter<"server" | "tool" | "status">;
  readonly #latency: Histogram<"server" | "tool">;
  readonly #inFlight: Gauge<"server">;
  readonly #toolLabels = new Map<string, Set<string>>();
  readonly #httpRequests: Counter<"route" | "status">;

  constructor(upstreams: () => Iterable<Upstream>, sessionCount: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "sophia_" });
    this.#calls = new Counter({
      name: "sophia_tool_calls_total",
      help: "Tool calls by server, tool and outcome",
      labelNames: ["server", "tool", "status"],
      registers,
    });
    this.#latency = new Histogram({
      name: "sophia_tool_call_duration_seconds",
      help: "Tool call latency",
      labelNames: ["server", "tool"],
      buckets: BUCKETS,
      registers,
    });
    this.#inFlight = new Gauge({
      name: "sophia_tool_calls_in_flight",
      help: "Tool calls in flight by server",
      labelNames: ["server"],
      registers,
    });
    this.#httpRequests = new Counter({
      name: "sophia_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["route", "status"],
      registers,
    });
    new Gauge({
      name: "sophia_upstream_up",
      help: "1 when the upstream is ready, 0 otherwise",
      labelNames: ["server", "state"],
      registers,
      collect() {
        this.reset();
        for (const u of upstreams())
          this.set({ server: u.name, state: u.state }, u.state === "ready" ? 1 : 0);
      },
    });
    new Gauge({
      name: "sophia_sessions",
      help: "Open MCP sessions",
      registers,
      collect() {
        this.set(sessionCount());
      },
    });
  }

  started(server: string, _tool: string): void {
    this.#inFlight.inc({ server });
  }

  finished(server: string, tool: string, status: CallStatus, seconds: number): void {
    this.#inFlight.dec({ server });
    const label = this.#toolLabel(server, tool);
    this.#calls.inc({ server, tool: label, status });
    this.#latency.observe({ server, tool: label }, seconds);
  }

  /**
   * Tool names come from clients (a misspelt or made-up name reaches the
   * server too), so label values are capped per server: past the cap, new
   * names count as "other" and the metrics cannot be blown up.
   */
  #toolLabel(server: string, tool: string): string {
    let seen = this.#toolLabels.get(server);
    if (!seen) {
      seen = new Set();
      this.#toolLabels.set(server, seen);
    }
    if (seen.has(tool)) return tool;
    if (seen.size >= MAX_TOOL_LABELS) return "other";
    seen.add(tool);
    return tool;
  }

  httpRequest(route: string, status: number): void {
    this.#httpRequests.inc({ route, status: String(status) });
  }
}
