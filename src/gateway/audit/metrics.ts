import { Counter, Gauge, type Registry } from "prom-client";
import type { QueueOptions } from "./queue.ts";

/** Audit log metrics, registered in the gateway's registry; returns the queue's hooks. */
export function auditMetrics(
  registry: Registry,
  queueLength: () => number,
): Pick<QueueOptions, "onWritten" | "onDropped" | "onWriteError"> {
  const registers = [registry];
  const written = new Counter({
    name: "sophia_audit_records_total",
    help: "Audit records written",
    registers,
  });
  const dropped = new Counter({
    name: "sophia_audit_dropped_total",
    help: "Audit records dropped because the queue was full (the sink is too slow or down)",
    registers,
  });
  const errors = new Counter({
    name: "sophia_audit_write_errors_total",
    help: "Failed audit writes (retried)",
    registers,
  });
  new Gauge({
    name: "sophia_audit_queue",
    help: "Audit records waiting to be written",
    registers,
    collect() {
      this.set(queueLength());
    },
  });
  return {
    onWritten: (count) => written.inc(count),
    onDropped: (count) => dropped.inc(count),
    onWriteError: () => errors.inc(),
  };
}
