import type { Registry } from "prom-client";
import type { Logger } from "../../shared/logger.ts";
import type { Catalog } from "../catalog/catalog.ts";
import type { PinningConfig } from "./config.ts";
import { ToolPins } from "./tool-pins.ts";

/** Pins checked on every tools list the catalog fetches (start-up and after each list_changed). */
export function buildPinning(
  config: PinningConfig,
  catalog: Catalog,
  registry: Registry,
  logger: Logger,
): ToolPins {
  const pins = new ToolPins(config, registry, logger.child({ part: "pinning" }));
  catalog.onChange((kind, server) => {
    if (kind === "tools") void pins.check(server, catalog.serverList(server, "tools") ?? []);
  });
  return pins;
}
