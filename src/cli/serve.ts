import { loadConfig } from "../config/index.ts";
import type { SophiaConfig } from "../config/types.ts";
import { capHeap } from "../flow/engine/heap-caps.ts";
import { Gateway, StdioServer } from "../gateway/index.ts";
import { watchFile } from "../gateway/reload/index.ts";
import { createLogger, type Logger } from "../shared/logger.ts";
import { builtinRegistry } from "./builtins.ts";
import type { Io } from "./io.ts";
import type { ServeOptions } from "./options.ts";
import { flushed, untilSignal } from "./signals.ts";

/** Loads the configuration and applies command-line overrides (flags win over the file). */
export async function resolveConfig(options: ServeOptions, io: Io): Promise<SophiaConfig> {
  const config = await loadConfig({
    ...(options.config ? { file: options.config } : {}),
    cwd: io.cwd,
    env: io.env,
  });
  if (options.host !== undefined) config.gateway.host = options.host;
  if (options.port !== undefined) config.gateway.port = options.port;
  if (options.logLevel !== undefined)
    config.log.level = options.logLevel as SophiaConfig["log"]["level"];
  return config;
}

/**
 * Hot reload: SIGHUP or a change to the configuration file loads it again and
 * applies its servers; an invalid file is logged and the old one keeps serving.
 */
function hotReload(
  gateway: Gateway,
  options: ServeOptions,
  io: Io,
  logger: Logger,
  file: string | undefined,
): () => void {
  const reload = (why: string) => {
    logger.info({ why }, "reloading the configuration");
    void gateway.reload(() => resolveConfig(options, io));
  };
  const onHangup = () => reload("SIGHUP");
  process.on("SIGHUP", onHangup);
  const unwatch = file
    ? watchFile(file, () => reload(`${file} changed`), {
        onError: (error) => logger.warn({ err: error.message }, "cannot watch the configuration"),
      })
    : () => {};
  return () => {
    process.off("SIGHUP", onHangup);
    unwatch();
  };
}

/** Runs the gateway over HTTP until a signal, or over stdio until stdin ends. */
export async function serveGateway(
  options: ServeOptions,
  io: Io,
  banner: string,
  withFlows = false,
): Promise<void> {
  const config = await resolveConfig(options, io);
  const logger = createLogger({ level: config.log.level });
  const gateway = new Gateway({ config, logger, builtins: builtinRegistry(config, io.cwd) });
  const servers = gateway.upstreams.size;
  const stopReload = hotReload(gateway, options, io, logger, config.file);
  if (options.stdio) {
    void gateway.startUpstreams();
    const server = new StdioServer({
      dispatcher: gateway.dispatcher,
      input: process.stdin,
      output: process.stdout,
      logger,
    });
    logger.info(
      { servers, config: config.file ?? "embedded defaults" },
      "sophia gateway serving over stdio",
    );
    await Promise.race([server.serve(), untilSignal(logger)]);
    stopReload();
    await gateway.stop();
    await flushed(logger);
    return;
  }
  const url = await gateway.listen().catch(async (error: unknown) => {
    stopReload();
    await gateway.stop();
    throw error;
  });
  // `sophia up` also runs the flows of sophia.yaml beside the gateway (loaded only when there are some).
  const flows =
    withFlows && Object.keys(config.flows).length > 0
      ? await (await import("../flow/index.ts"))
          .startConfiguredFlows(config, { cwd: io.cwd, logger })
          .catch(async (error: unknown) => {
            await gateway.stop();
            throw error;
          })
      : undefined;
  // Flows in this process: their backlogs bounded as in `sophia flow run` (see heap-caps.ts).
  const heapCaps = flows ? capHeap() : undefined;
  if (flows) io.out(`${banner} flows running: ${flows.names.join(", ")}`);
  io.out(
    `${banner} listening on ${url}/mcp (${servers} server${servers === 1 ? "" : "s"}, config: ${config.file ?? "embedded defaults"})`,
  );
  await untilSignal(logger);
  stopReload();
  await Promise.all([gateway.stop(), flows?.stop()]);
  heapCaps?.stop();
  logger.info("stopped");
  await flushed(logger);
}
