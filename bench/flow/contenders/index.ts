/** Everything the benchmark runs side by side: Sophia's sinks and the baselines. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { PolledTable } from "../sink-poller.ts";
import type { Tally } from "../tally.ts";
import { startRecvlogical } from "./recvlogical.ts";
import {
  createVectorSchema,
  dropVectorSchema,
  startSophiaPgvector,
  VECTOR_ROWS,
} from "./sophia-pgvector.ts";

export interface RunContext {
  root: string;
  node: string;
  url: string;
  table: string;
  slot: string;
  publication: string;
  /** For contenders that own their slot: the flow name, so that the slot is `sophia_<name>`. */
  flowName: string;
  tmp: string;
  receiverUrl: string;
  current(): Tally | undefined;
}

export interface Contender {
  name: string;
  plugin: "pgoutput" | "test_decoding";
  /** Sophia creates its own slot (`sophia_<flow name>`) and publication; the bench drops them after. */
  ownsSlot?: boolean;
  /** What it is, for the legend. */
  about: string;
  start(ctx: RunContext): ChildProcess;
  /** Creates what the contender writes into; `cleanup` removes it on every path. */
  setup?(ctx: RunContext): Promise<void>;
  cleanup?(ctx: RunContext): Promise<void>;
  /** For a contender that writes a table instead of POSTing: the table the bench polls. */
  sinkTable?(ctx: RunContext): PolledTable;
}

function nodeScript(ctx: RunContext, args: string[]): ChildProcess {
  return spawn(ctx.node, args, { cwd: ctx.root, stdio: ["ignore", "ignore", "inherit"] });
}

export const CONTENDERS: Contender[] = [
  {
    name: "pg_recvlogical",
    plugin: "test_decoding",
    about: "pg_recvlogical + test_decoding to a pipe (the decoding floor)",
    start: (ctx) => startRecvlogical(ctx.url, ctx.slot, ctx.current),
  },
  sophiaWebhook("sophia-webhook"),
  {
    name: "sophia-pgvector",
    plugin: "pgoutput",
    ownsSlot: true,
    about:
      "sophia flow run --config: embed (local, 384 dims) → pgvector sink (real[]: no extension here), exactly-once; latency to the sink's write",
    start: startSophiaPgvector,
    setup: createVectorSchema,
    cleanup: dropVectorSchema,
    sinkTable: VECTOR_ROWS,
  },
  {
    name: "plc-batch",
    plugin: "pgoutput",
    about: "pg-logical-replication, POST batches of up to 1,000 changes",
    start: (ctx) => plc(ctx, "batch"),
  },
  {
    name: "plc-each",
    plugin: "pgoutput",
    about: "pg-logical-replication, POST each change",
    start: (ctx) => plc(ctx, "each"),
  },
];

/**
 * `sophia flow run --webhook`. With `root`, the CLI of another checkout
 * (`--baseline DIR`: the code before a change, measured in the same run).
 */
export function sophiaWebhook(name: string, root?: string): Contender {
  return {
    name,
    plugin: "pgoutput",
    ownsSlot: true,
    about: `sophia flow run --webhook (batches, HMAC, acks after 2xx)${root === undefined ? "" : ` from ${root}`}`,
    start: (ctx) =>
      nodeScript(ctx, [
        join(root ?? ctx.root, "src/cli/main.ts"),
        "flow",
        "run",
        "--source",
        ctx.url,
        "--table",
        ctx.table,
        "--webhook",
        ctx.receiverUrl,
        "--secret",
        "bench-secret-0123456789abcdef",
        "--name",
        ctx.flowName,
        "--state-dir",
        ctx.tmp,
        "--log-level",
        "warn",
      ]),
  };
}

function plc(ctx: RunContext, mode: "each" | "batch"): ChildProcess {
  const script = join(ctx.root, "bench/flow/contenders/plc-consumer.ts");
  return nodeScript(ctx, [script, ctx.url, ctx.slot, ctx.publication, ctx.receiverUrl, mode]);
}
