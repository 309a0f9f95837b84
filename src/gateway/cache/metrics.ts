import { Counter, Gauge, type Registry } from "prom-client";
import type { CacheStore } from "./store.ts";
import { MemoryCacheStore } from "./store.ts";

export type CacheResult = "hit" | "miss" | "bypass" | "store_error";

/** Result cache metrics, registered in the gateway's registry. */
export class CacheMetrics {
  readonly lookups: Counter<"server" | "result">;

  constructor(registry: Registry, store: CacheStore) {
    const registers = [registry];
    this.lookups = new Counter({
      name: "sophia_cache_lookups_total",
      help: "Result cache lookups by server and result (hit, miss, bypass: not cacheable, store_error)",
      labelNames: ["server", "result"],
      registers,
    });
    if (!(store instanceof MemoryCacheStore)) return;
    new Gauge({
      name: "sophia_cache_entries",
      help: "Entries in the in-memory result cache",
      registers,
      collect() {
        this.set(store.lru.size);
      },
    });
    new Gauge({
      name: "sophia_cache_bytes",
      help: "Estimated bytes held by the in-memory result cache",
      registers,
      collect() {
        this.set(store.lru.bytes);
      },
    });
  }
}
