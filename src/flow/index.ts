/** The flow part's public entry: configuration, the engine, state, and running the flows of a config. */
import type { SophiaConfig } from "../config/index.ts";
import { errorMessage } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import { readFlows } from "./config/read-flows.ts";
import type { FlowEngine } from "./engine/engine.ts";
import { createFlowEngine } from "./engine/start-flow.ts";

export { oneLineFlow } from "./config/one-line.ts";
export { readFlows, selectFlows } from "./config/read-flows.ts";
export type { FlowSpec, StateLocation } from "./config/types.ts";
export { AckTracker } from "./engine/ack-tracker.ts";
export { FlowEngine, type FlowEngineOptions } from "./engine/engine.ts";
export { FlowMetrics } from "./engine/metrics.ts";
export { createFlowEngine } from "./engine/start-flow.ts";
export type { StateStore } from "./state/store.ts";

export interface RunningFlows {
  names: string[];
  engines: FlowEngine[];
  stop(): Promise<void>;
}

/**
 * Starts every flow of the configuration (for `sophia up`). A flow that
 * fails later is logged; the others keep running.
 */
export async function startConfiguredFlows(
  config: SophiaConfig,
  options: { cwd: string; logger: Logger },
): Promise<RunningFlows> {
  const engines: FlowEngine[] = [];
  try {
    for (const spec of readFlows(config))
      engines.push(
        await createFlowEngine(spec, { config, cwd: options.cwd, logger: options.logger }),
      );
  } catch (error) {
    await Promise.all(engines.map((engine) => engine.stop()));
    throw error;
  }
  const runs = engines.map((engine) =>
    engine
      .run()
      .catch((error: unknown) =>
        options.logger.error(
          { flow: engine.name, err: errorMessage(error) },
          "flow stopped with an error",
        ),
      ),
  );
  return {
    names: engines.map((engine) => engine.name),
    engines,
    async stop() {
      await Promise.all(engines.map((engine) => engine.stop()));
      await Promise.all(runs);
    },
  };
}
