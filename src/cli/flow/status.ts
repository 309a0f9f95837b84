/** `sophia flow status [--json]`: per flow, the slot's lag and retained WAL, per-sink checkpoints, dead letters. */

import type { FlowSpec } from "../../flow/config/types.ts";
import { deadLetterStoreFor } from "../../flow/engine/start-flow.ts";
import { openStateStore } from "../../flow/state/open.ts";
import { type FlowStatusRecord, loadStatus } from "../../flow/state/store.ts";
import { errorMessage } from "../../shared/errors.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseFlowArgs } from "./args.ts";
import { FLOW_HELP } from "./help.ts";
import { loadFlows } from "./load.ts";
import { querySlot, type SlotRow } from "./slot-query.ts";

interface FlowReport {
  flow: string;
  slot: string;
  slotState: SlotRow | { error: string };
  engine: FlowStatusRecord | null;
  deadLetters: Record<string, number> | { error: string };
}

export async function statusCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlowArgs(
    "status",
    args,
    { config: { type: "string", short: "c" }, json: { type: "boolean" } },
    true,
  );
  if (values.help) {
    io.out(FLOW_HELP.status);
    return EXIT.ok;
  }
  const { flows } = await loadFlows(io, values.config, positionals);
  const reports = await Promise.all(flows.map((flow) => report(flow, io.cwd)));
  if (values.json) io.out(JSON.stringify(reports, null, 2));
  else for (const line of reports.flatMap(render)) io.out(line);
  return EXIT.ok;
}

async function report(flow: FlowSpec, cwd: string): Promise<FlowReport> {
  const slotState = await querySlot(flow.source.connectionString, flow.source.slot).catch(
    (error: unknown) => ({
      error: errorMessage(error),
    }),
  );
  let engine: FlowStatusRecord | null = null;
  const state = await openStateStore(flow.state, cwd).catch(() => undefined);
  if (state !== undefined) {
    engine = (await loadStatus(state, flow.name).catch(() => undefined)) ?? null;
    await state.close();
  }
  return {
    flow: flow.name,
    slot: flow.source.slot,
    slotState,
    engine,
    deadLetters: await countDead(flow, cwd),
  };
}

async function countDead(
  flow: FlowSpec,
  cwd: string,
): Promise<Record<string, number> | { error: string }> {
  const store = deadLetterStoreFor(flow.state, cwd);
  try {
    await store.start();
    const counts: Record<string, number> = {};
    for (const sink of flow.sinks)
      counts[sink.name] = (
        await store.list({ flow: flow.name, sink: sink.name, limit: 100_000 })
      ).length;
    return counts;
  } catch (error) {
    return { error: errorMessage(error) };
  } finally {
    await store.stop().catch(() => undefined);
  }
}

function render(r: FlowReport): string[] {
  const lines = [`flow ${r.flow} (slot ${r.slot})`];
  const s = r.slotState;
  if ("error" in s) lines.push(`  slot: cannot read (${s.error})`);
  else if (!s.exists) lines.push("  slot: missing (created by the first sophia flow run)");
  else
    lines.push(
      `  slot: ${s.active ? "active" : "inactive"}, wal_status ${s.walStatus}, lag ${bytes(s.lagBytes)}${
        r.engine?.lagSeconds == null ? "" : ` / ${r.engine.lagSeconds.toFixed(1)} s`
      }, retained WAL ${bytes(s.retainedBytes)}, confirmed ${s.confirmedFlush}`,
    );
  const e = r.engine;
  if (e === null) lines.push("  engine: never ran");
  else {
    const age = Math.round((Date.now() - e.updatedAtMs) / 1000);
    lines.push(
      `  engine: ${e.state} (reported ${age} s ago), acknowledged ${e.ackedLsn ?? "nothing yet"}${e.error ? `, error: ${e.error}` : ""}`,
    );
  }
  const dead = r.deadLetters;
  for (const [sink, info] of Object.entries(e?.sinks ?? {})) {
    const count = "error" in dead ? "?" : (dead[sink] ?? 0);
    lines.push(
      `  sink ${sink}: checkpoint ${info.checkpoint ?? "none"}, ${info.eventsOut} events this run, ${count} dead letters${info.paused ? ", PAUSED (walBudget)" : ""}`,
    );
  }
  if ("error" in dead) lines.push(`  dead letters: cannot read (${dead.error})`);
  return lines;
}

function bytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
