import { Counter, type Registry } from "prom-client";
import type { ReloadResult } from "./reloader.ts";

/** sophia_config_reloads_total{result}: ok, invalid (the old config kept serving) or failed. */
export function reloadCounter(registry: Registry): (result: ReloadResult) => void {
  const counter = new Counter({
    name: "sophia_config_reloads_total",
    help: "Configuration reloads by result (ok, invalid, failed)",
    labelNames: ["result"],
    registers: [registry],
  });
  return (result) => counter.inc({ result });
}
