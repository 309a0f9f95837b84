import { Counter, type Registry } from "prom-client";

/** Rate-limit metrics, registered in the gateway's registry. */
export class LimitMetrics {
  readonly limited: Counter<"rule" | "server">;
  readonly storeErrors: Counter<"store" | "outcome">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.limited = new Counter({
      name: "sophia_rate_limited_total",
      help: "Calls refused by a rate limit or quota, by rule and server",
      labelNames: ["rule", "server"],
      registers,
    });
    this.storeErrors = new Counter({
      name: "sophia_rate_limit_store_errors_total",
      help: "Calls decided without the limit store (unreachable), by store and what the call got",
      labelNames: ["store", "outcome"],
      registers,
    });
  }
}
