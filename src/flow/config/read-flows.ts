/** Turns the validated `flows:` section into FlowSpecs with every default filled in. */

import type { SophiaConfig } from "../../config/index.ts";
import { validateSection } from "../../config/index.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { TableSelection } from "../capture/api.ts";
import { defaultPublicationName, defaultSlotName } from "./names.ts";
import { type FlowInput, flowsSchema } from "./schema.ts";
import type { DistributedSpec, FlowSpec, PartSpec, SinkSpec, StateLocation } from "./types.ts";

export const DEFAULT_STATE_SCHEMA = "sophia_flow";

/** @throws ConfigError (CONFIG_INVALID) with file:line:col for every problem. */
export function readFlows(config: SophiaConfig): FlowSpec[] {
  const flows = validateSection(config, ["flows"], config.flows, flowsSchema);
  return Object.entries(flows).map(([name, input]) => toSpec(name, input));
}

/** The named flows, in the order asked; an unknown name is a usage error listing the known ones. */
export function selectFlows(all: FlowSpec[], names: string[]): FlowSpec[] {
  if (names.length === 0) return all;
  return names.map((name) => {
    const found = all.find((flow) => flow.name === name);
    if (found === undefined) {
      const known = all.map((flow) => flow.name).join(", ") || "none";
      throw new SophiaError("USAGE", `no flow named "${name}" in the configuration`, {
        hint: `configured flows: ${known}`,
      });
    }
    return found;
  });
}

export function toSpec(name: string, input: FlowInput): FlowSpec {
  const base = ["flows", name];
  const transforms: PartSpec[] = input.transforms.map((entry, index) =>
    part(entry, [...base, "transforms", index]),
  );
  const sinks: SinkSpec[] = Object.entries(input.sinks).map(([sinkName, entry]) => ({
    name: sinkName,
    ...part(entry, [...base, "sinks", sinkName]),
  }));
  return {
    name,
    source: {
      connectionString: input.source.postgres,
      tables: input.source.tables.map(tableSelection),
      slot: input.source.slot ?? defaultSlotName(name),
      publication: input.source.publication ?? defaultPublicationName(name),
    },
    transforms,
    sinks,
    batch: { size: input.batch.size, maxWaitMs: input.batch.maxWait },
    queueBatches: input.queue,
    heartbeatMs: input.heartbeat,
    walBudget: {
      maxBytes: input.walBudget.max,
      policy: input.walBudget.policy,
      checkEveryMs: input.walBudget.checkEvery,
    },
    state: stateLocation(input),
    backfill: { tables: backfillTables(input), chunkSize: input.source.backfillChunk },
    distributed: distributed(name, input),
  };
}

function backfillTables(input: FlowInput): string[] {
  const all = input.source.snapshot === "initial";
  return input.source.tables
    .filter((entry) => all || (typeof entry !== "string" && entry.backfill === true))
    .map((entry) => (typeof entry === "string" ? entry : entry.table));
}

/** Stream names are upper-case by custom; subjects keep the flow's name. */
function distributed(name: string, input: FlowInput): DistributedSpec | undefined {
  const d = input.distributed;
  if (d === undefined) return undefined;
  return {
    servers: typeof d.nats === "string" ? d.nats.split(",").map((s) => s.trim()) : d.nats,
    stream: d.stream ?? `SOPHIA_${name.toUpperCase().replace(/-/g, "_")}`,
    subjectPrefix: d.subjectPrefix ?? `sophia.${name}`,
    maxAckPending: d.maxAckPending,
    ackWaitMs: d.ackWait,
    standbyPollMs: d.standbyPoll,
  };
}

function part(entry: Record<string, unknown>, path: (string | number)[]): PartSpec {
  const [kind, options] = Object.entries(entry)[0] ?? ["", undefined];
  return { kind, options, path: [...path, kind] };
}

function tableSelection(entry: FlowInput["source"]["tables"][number]): TableSelection {
  if (typeof entry === "string") return { table: entry };
  return {
    table: entry.table,
    ...(entry.columns ? { columns: entry.columns } : {}),
    ...(entry.where ? { where: entry.where } : {}),
  };
}

function stateLocation(input: FlowInput): StateLocation {
  const state = input.state;
  if (state !== undefined && "dir" in state) return { kind: "file", dir: state.dir };
  return {
    kind: "postgres",
    connectionString: state?.postgres ?? input.source.postgres,
    schema: state?.schema ?? DEFAULT_STATE_SCHEMA,
  };
}
