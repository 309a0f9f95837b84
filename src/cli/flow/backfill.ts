/**
 * `sophia flow backfill <flow>`: starts the flow for the duration (so changes
 * keep streaming), copies the tables chunk by chunk, prints progress, and
 * stops once the last chunk is acknowledged. Re-running resumes.
 */
import type { FlowSpec } from "../../flow/config/types.ts";
import { backfillTables, openBackfillableFlow } from "../../flow/engine/backfill-flow.ts";
import { createLogger } from "../../shared/logger.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { flushed, untilSignal } from "../signals.ts";
import { parseFlowArgs, usage } from "./args.ts";
import { FLOW_HELP } from "./help.ts";
import { loadFlows } from "./load.ts";
import { progressPrinter } from "./progress.ts";

const OPTIONS = {
  config: { type: "string", short: "c" },
  table: { type: "string", multiple: true },
  chunk: { type: "string" },
  restart: { type: "boolean" },
  "log-level": { type: "string" },
} as const;

export async function backfillCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlowArgs("backfill", args, OPTIONS, true);
  if (values.help) {
    io.out(FLOW_HELP.backfill);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usage("backfill", "name exactly one flow");
  const { config, flows } = await loadFlows(io, values.config, positionals);
  const spec = flows[0] as FlowSpec;
  const tables = chooseTables(spec, values.table);
  const chunkSize = parseChunk(values.chunk, spec.backfill.chunkSize);
  const logger = createLogger({ level: values["log-level"] ?? "warn" });
  const flow = await openBackfillableFlow(spec, { config, cwd: io.cwd, logger });
  const running = flow.engine.run();
  const failed = running.then(() => "stopped" as const);
  const work = backfillTables(flow, spec, tables, {
    chunkSize,
    ...(values.restart ? { restart: true } : {}),
    onProgress: progressPrinter({ write: (t) => io.err(t), tty: process.stderr.isTTY === true }),
  });
  const outcome = await Promise.race([
    work.then((reports) => ({ reports })),
    untilSignal(logger).then(() => "signal" as const),
    failed,
  ]).catch((error: unknown) => ({ error }));
  await flow.engine.stop();
  await running.catch(() => undefined);
  await flushed(logger);
  if (outcome === "signal" || outcome === "stopped") {
    io.err("sophia flow backfill: stopped before the end; run it again to resume\n");
    return EXIT.failure;
  }
  if ("error" in outcome) throw outcome.error;
  const rows = outcome.reports.reduce((sum, r) => sum + r.rowsDone, 0);
  io.err(`sophia flow backfill: ${spec.name}: ${outcome.reports.length} table(s), ${rows} rows\n`);
  return EXIT.ok;
}

function chooseTables(spec: FlowSpec, asked: string[] | undefined): string[] {
  const all = spec.source.tables.map((t) => t.table);
  if (asked === undefined) return all;
  for (const table of asked)
    if (!all.includes(table))
      throw usage(
        "backfill",
        `${spec.name} does not capture ${table} (it captures ${all.join(", ")})`,
      );
  return asked;
}

function parseChunk(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw usage("backfill", `--chunk must be an integer from 1 to 100000, got "${text}"`);
  return n;
}
