/** Prometheus metrics of one flow engine, in its own Registry (merged by whoever serves /metrics). */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SlotStatus } from "../capture/api.ts";
import type { Lsn } from "../lsn.ts";

export class FlowMetrics {
  readonly registry = new Registry();
  readonly #flow: string;
  readonly eventsIn: Counter<"flow">;
  readonly eventsOut: Counter<"flow" | "sink">;
  readonly batchSeconds: Histogram<"flow" | "sink">;
  readonly endToEndSeconds: Histogram<"flow" | "sink">;
  readonly sinkErrors: Counter<"flow" | "sink">;
  readonly retries: Counter<"flow" | "sink" | "stage">;
  readonly queued: Gauge<"flow" | "sink">;
  readonly dlqEvents: Gauge<"flow" | "sink">;
  readonly lagBytes: Gauge<"flow">;
  readonly lagSeconds: Gauge<"flow">;
  readonly retainedBytes: Gauge<"flow">;
  readonly ackedLsn: Gauge<"flow">;
  readonly walOverBudget: Gauge<"flow">;
  readonly reconnects: Counter<"flow">;

  constructor(flow: string) {
    this.#flow = flow;
    const registers = [this.registry];
    const flowOnly = { labelNames: ["flow"] as const, registers };
    const perSink = { labelNames: ["flow", "sink"] as const, registers };
    this.eventsIn = new Counter({
      name: "sophia_flow_events_in_total",
      help: "Change events received from capture",
      ...flowOnly,
    });
    this.eventsOut = new Counter({
      name: "sophia_flow_events_out_total",
      help: "Change events made durable in a sink",
      ...perSink,
    });
    this.batchSeconds = new Histogram({
      name: "sophia_flow_batch_write_seconds",
      help: "Time a sink took to write one batch (retries included)",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      ...perSink,
    });
    this.endToEndSeconds = new Histogram({
      name: "sophia_flow_commit_to_sink_seconds",
      help: "From the source commit to durable in the sink (last event of each batch)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
      ...perSink,
    });
    this.sinkErrors = new Counter({
      name: "sophia_flow_sink_errors_total",
      help: "Failed batch writes",
      ...perSink,
    });
    this.retries = new Counter({
      name: "sophia_flow_retries_total",
      help: "Retries of a sink write or a transform",
      labelNames: ["flow", "sink", "stage"] as const,
      registers,
    });
    this.queued = new Gauge({
      name: "sophia_flow_queued_batches",
      help: "Batches waiting for a sink",
      ...perSink,
    });
    this.dlqEvents = new Gauge({
      name: "sophia_flow_dlq_events",
      help: "Events in a sink's dead-letter queue",
      ...perSink,
    });
    this.lagBytes = new Gauge({
      name: "sophia_flow_slot_lag_bytes",
      help: "WAL not yet acknowledged",
      ...flowOnly,
    });
    this.lagSeconds = new Gauge({
      name: "sophia_flow_slot_lag_seconds",
      help: "Age of the oldest unacknowledged change",
      ...flowOnly,
    });
    this.retainedBytes = new Gauge({
      name: "sophia_flow_retained_wal_bytes",
      help: "WAL the slot keeps on the source's disk",
      ...flowOnly,
    });
    this.ackedLsn = new Gauge({
      name: "sophia_flow_acked_lsn",
      help: "Last position acknowledged to PostgreSQL (as a number)",
      ...flowOnly,
    });
    this.walOverBudget = new Gauge({
      name: "sophia_flow_wal_over_budget",
      help: "1 while retained WAL exceeds walBudget.max",
      ...flowOnly,
    });
    this.reconnects = new Counter({
      name: "sophia_flow_capture_reconnects_total",
      help: "Capture sessions reopened after a failure",
      ...flowOnly,
    });
  }

  get flow(): string {
    return this.#flow;
  }

  slot(status: SlotStatus): void {
    const flow = this.#flow;
    this.lagBytes.set({ flow }, Number(status.lagBytes));
    this.lagSeconds.set({ flow }, status.lagSeconds);
    this.retainedBytes.set({ flow }, Number(status.retainedBytes));
  }

  acked(lsn: Lsn): void {
    this.ackedLsn.set({ flow: this.#flow }, Number(lsn));
  }
}
