/** Command-line options of `npm run bench:gateway -- …`. */
import { parseArgs } from "node:util";
import { TARGET_NAMES, type TargetName } from "./targets.ts";

export interface Options {
  durationMs: number;
  warmupMs: number;
  concurrency: number[];
  targets: TargetName[];
  /** When set, run the many-upstreams RSS mode instead of the throughput table. */
  rssUpstreams: number | undefined;
  outDir: string;
  /** Before each cell, wait up to this long for the machine to be under `quietBelowPercent` busy. */
  quietWaitMs: number;
  quietBelowPercent: number;
  /** A cell where other processes took more than this (percent of one core) is measured again. */
  maxOthersPercent: number;
  retries: number;
  /** Every cell is measured this many times, targets in alternating order; tables keep the median. */
  rounds: number;
}

export const USAGE = `usage: npm run bench:gateway -- [options]
  --duration <s>        measured seconds per cell (default 5)
  --warmup <s>          warm-up seconds per cell before measuring (default 1)
  --concurrency <list>  concurrent MCP sessions, comma-separated (default 1,16,64)
  --targets <list>      any of ${TARGET_NAMES.join(",")} (default all)
  --rss-upstreams <n>   instead: Sophia with n stdio echo upstreams, gateway RSS idle and under load
  --out <dir>           results folder (default bench/results)
  --quiet-wait <s>      before each cell, wait up to this long for the machine to be quiet (default 60, 0: don't)
  --quiet-below <pct>   "quiet" means all cores under this percent busy over 1 s (default 15)
  --max-others <pct>    measure a cell again if other processes used more than this much of a core (default 25)
  --retries <n>         at most this many extra measurements per cell (default 2; the cleanest is kept)
  --rounds <n>          measure every cell n times, targets in alternating order; the table shows each
                        target's median cell and sophia-prod / sophia-stdio per round (default 1)`;

function positive(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(`--${name} must be a number in (0, ${max}], got "${text}"`);
  }
  return value;
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      concurrency: { type: "string", default: "1,16,64" },
      targets: { type: "string", default: TARGET_NAMES.join(",") },
      "rss-upstreams": { type: "string" },
      out: { type: "string", default: "bench/results" },
      "quiet-wait": { type: "string", default: "60" },
      "quiet-below": { type: "string", default: "15" },
      "max-others": { type: "string", default: "25" },
      retries: { type: "string", default: "2" },
      rounds: { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) throw new Error(USAGE);
  const concurrency = values.concurrency
    .split(",")
    .map((c) => Math.round(positive("concurrency", c, 1024)));
  const targets = values.targets.split(",").map((name) => {
    if (!(TARGET_NAMES as readonly string[]).includes(name)) {
      throw new Error(`--targets: unknown target "${name}"; known: ${TARGET_NAMES.join(", ")}`);
    }
    return name as TargetName;
  });
  const upstreams = values["rss-upstreams"];
  return {
    durationMs: positive("duration", values.duration, 600) * 1000,
    warmupMs: values.warmup === "0" ? 0 : positive("warmup", values.warmup, 600) * 1000,
    concurrency,
    targets,
    rssUpstreams:
      upstreams === undefined ? undefined : Math.round(positive("rss-upstreams", upstreams, 200)),
    outDir: values.out,
    quietWaitMs:
      values["quiet-wait"] === "0" ? 0 : positive("quiet-wait", values["quiet-wait"], 3_600) * 1000,
    quietBelowPercent: positive("quiet-below", values["quiet-below"], 100),
    maxOthersPercent: positive("max-others", values["max-others"], 10_000),
    retries: values.retries === "0" ? 0 : Math.round(positive("retries", values.retries, 10)),
    rounds: Math.round(positive("rounds", values.rounds, 50)),
  };
}
