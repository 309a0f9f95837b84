/** `sophia flow run`: runs flows from sophia.yaml, or one flow from flags (the one-line form). */
import { randomBytes } from "node:crypto";
import type { SophiaConfig } from "../../config/index.ts";
import { oneLineFlow } from "../../flow/config/one-line.ts";
import type { FlowSpec } from "../../flow/config/types.ts";
import {
  type BackfillableFlow,
  backfillTables,
  openBackfillableFlow,
  pendingInitialBackfills,
} from "../../flow/engine/backfill-flow.ts";
import type { FlowEngine } from "../../flow/engine/engine.ts";
import { faultHookFrom } from "../../flow/engine/faults.ts";
import { capHeap } from "../../flow/engine/heap-caps.ts";
import { errorMessage } from "../../shared/errors.ts";
import { createLogger, type Logger } from "../../shared/logger.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { flushed, untilSignal } from "../signals.ts";
import { parseFlowArgs, usage } from "./args.ts";
import { FLOW_HELP } from "./help.ts";
import { loadFlows } from "./load.ts";
import { type MetricsServer, serveMetrics } from "./metrics-server.ts";

const OPTIONS = {
  config: { type: "string", short: "c" },
  flow: { type: "string", multiple: true },
  source: { type: "string" },
  table: { type: "string", multiple: true },
  webhook: { type: "string" },
  secret: { type: "string" },
  name: { type: "string" },
  "state-dir": { type: "string" },
  "metrics-port": { type: "string" },
  "metrics-host": { type: "string" },
  "log-level": { type: "string" },
} as const;

type Values = ReturnType<typeof parseFlowArgs<typeof OPTIONS>>["values"];

export async function runCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlowArgs("run", args, OPTIONS);
  if (values.help) {
    io.out(FLOW_HELP.run);
    return EXIT.ok;
  }
  const logger = createLogger({ level: values["log-level"] ?? "info" });
  // Keeps a backlog or a large transaction from growing the engine's RSS by V8's heap growth (see heap-caps.ts).
  const heapCaps = capHeap();
  try {
    return await runFlows(values, io, logger);
  } finally {
    heapCaps.stop();
  }
}

async function runFlows(values: Values, io: Io, logger: Logger): Promise<number> {
  const { config, flows } = await chooseFlows(values, io);
  const fault = faultHookFrom(io.env.SOPHIA_FLOW_CRASH_AT, () =>
    process.kill(process.pid, "SIGKILL"),
  );
  const opened: BackfillableFlow[] = [];
  try {
    for (const spec of flows)
      opened.push(
        await openBackfillableFlow(spec, {
          config,
          cwd: io.cwd,
          logger,
          ...(fault ? { fault } : {}),
        }),
      );
  } catch (error) {
    await Promise.all(opened.map((flow) => flow.engine.stop()));
    throw error;
  }
  const engines = opened.map((flow) => flow.engine);
  const metrics = await startMetrics(values, engines);
  return runUntilDone(opened, flows, metrics, logger, io);
}

/** Tables configured with `backfill: true` are copied the first time (an unfinished copy resumes). */
async function initialBackfill(flow: BackfillableFlow, spec: FlowSpec, logger: Logger, io: Io) {
  const tables = await pendingInitialBackfills(flow.state, spec);
  if (tables.length === 0) return;
  io.err(`sophia flow run: ${spec.name}: initial backfill of ${tables.join(", ")}\n`);
  try {
    const reports = await backfillTables(flow, spec, tables, {
      chunkSize: spec.backfill.chunkSize,
    });
    const rows = reports.reduce((sum, r) => sum + r.rowsDone, 0);
    io.err(`sophia flow run: ${spec.name}: initial backfill done (${rows} rows)\n`);
  } catch (error) {
    logger.warn(
      { flow: spec.name, err: errorMessage(error) },
      "initial backfill stopped; it resumes on the next run",
    );
  }
}

async function chooseFlows(
  values: Values,
  io: Io,
): Promise<{ config: SophiaConfig | undefined; flows: FlowSpec[] }> {
  if (values.source === undefined && values.webhook === undefined && values.table === undefined)
    return loadFlows(io, values.config, values.flow ?? []);
  if (values.config !== undefined || values.flow !== undefined)
    throw usage(
      "run",
      "use either --config/--flow or the one-line form (--source, --table, --webhook), not both",
    );
  if (values.source === undefined || values.webhook === undefined || values.table === undefined)
    throw usage(
      "run",
      "the one-line form needs --source URL, at least one --table schema.table and --webhook URL",
    );
  let secret = values.secret ?? io.env.SOPHIA_WEBHOOK_SECRET;
  if (secret === undefined) {
    secret = randomBytes(24).toString("base64url");
    io.err(
      `sophia flow run: no --secret given; signing requests with the generated secret ${secret}\n`,
    );
  }
  const first = values.table[0]?.split(".").pop() ?? "flow";
  const flow = oneLineFlow({
    name: values.name ?? first,
    source: values.source,
    tables: values.table,
    webhook: values.webhook,
    secret,
    stateDir: values["state-dir"],
  });
  return { config: undefined, flows: [flow] };
}

async function startMetrics(
  values: Values,
  engines: FlowEngine[],
): Promise<MetricsServer | undefined> {
  const text = values["metrics-port"];
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usage("run", `--metrics-port must be an integer from 0 to 65535, got "${text}"`);
  return serveMetrics(
    engines.map((engine) => engine.metrics.registry),
    values["metrics-host"] ?? "127.0.0.1",
    port,
  );
}

async function runUntilDone(
  opened: BackfillableFlow[],
  flows: FlowSpec[],
  metrics: MetricsServer | undefined,
  logger: Logger,
  io: Io,
): Promise<number> {
  const engines = opened.map((flow) => flow.engine);
  const runs = engines.map((engine) => engine.run());
  const backfills = opened.map((flow, i) =>
    initialBackfill(flow, flows[i] as FlowSpec, logger, io),
  );
  for (const flow of flows)
    io.err(
      `sophia flow run: ${flow.name} running (slot ${flow.source.slot}, ${flow.source.tables.length} table(s) → ${flow.sinks.map((s) => `${s.name}:${s.kind}`).join(", ")})\n`,
    );
  if (metrics) io.err(`sophia flow run: metrics on ${metrics.url}\n`);
  const failed = Promise.race(runs).then(
    () => undefined,
    (error: unknown) => error,
  );
  const outcome = await Promise.race([untilSignal(logger).then(() => undefined), failed]);
  io.err("sophia flow run: stopping (finishing batches in flight)\n");
  await Promise.all(engines.map((engine) => engine.stop()));
  const results = await Promise.allSettled(runs);
  await Promise.all(backfills);
  await metrics?.close();
  await flushed(logger);
  const error = outcome ?? results.find((result) => result.status === "rejected")?.reason;
  if (error !== undefined) throw error;
  io.err("sophia flow run: stopped\n");
  return EXIT.ok;
}
