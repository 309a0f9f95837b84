/** `sophia flow capture <flow>` and `sophia flow worker <flow> [--sink S]`: distributed mode. */
import type { FlowSpec } from "../../flow/config/types.ts";
import { runDistributedCapture, runSinkWorker } from "../../flow/distributed/index.ts";
import { faultHookFrom } from "../../flow/engine/faults.ts";
import { capHeap } from "../../flow/engine/heap-caps.ts";
import { createLogger } from "../../shared/logger.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { flushed, untilSignal } from "../signals.ts";
import { parseFlowArgs, usage } from "./args.ts";
import { FLOW_HELP } from "./help.ts";
import { loadFlows } from "./load.ts";

const COMMON = {
  config: { type: "string", short: "c" },
  "log-level": { type: "string" },
} as const;

async function oneFlow(sub: string, io: Io, file: string | undefined, positionals: string[]) {
  if (positionals.length !== 1) throw usage(sub, "name exactly one flow");
  const { config, flows } = await loadFlows(io, file, positionals);
  return { config, spec: flows[0] as FlowSpec };
}

export async function captureCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlowArgs("capture", args, COMMON, true);
  if (values.help) {
    io.out(FLOW_HELP.capture);
    return EXIT.ok;
  }
  const { config, spec } = await oneFlow("capture", io, values.config, positionals);
  const logger = createLogger({ level: values["log-level"] ?? "info" });
  const stop = new AbortController();
  void untilSignal(logger).then(() => stop.abort());
  const fault = faultHookFrom(io.env.SOPHIA_FLOW_CRASH_AT, () =>
    process.kill(process.pid, "SIGKILL"),
  );
  const say = (text: string) => io.err(`sophia flow capture: ${spec.name}: ${text}\n`);
  // A backlog is buffered here before it is published: bounded like `flow run` (see heap-caps.ts).
  const heapCaps = capHeap();
  try {
    await runDistributedCapture(spec, {
      config,
      cwd: io.cwd,
      logger,
      signal: stop.signal,
      ...(fault ? { fault } : {}),
      onStandby: () => say("standby (another capture leads)"),
      onLead: () => say(`leading: publishing to stream ${spec.distributed?.stream}`),
    });
  } finally {
    heapCaps.stop();
    await flushed(logger);
  }
  say("stopped");
  return EXIT.ok;
}

export async function workerCommand(args: string[], io: Io): Promise<number> {
  const options = { ...COMMON, sink: { type: "string", multiple: true } } as const;
  const { values, positionals } = parseFlowArgs("worker", args, options, true);
  if (values.help) {
    io.out(FLOW_HELP.worker);
    return EXIT.ok;
  }
  const { config, spec } = await oneFlow("worker", io, values.config, positionals);
  const names = values.sink ?? spec.sinks.map((s) => s.name);
  const sinks = names.map((name) => {
    const sink = spec.sinks.find((s) => s.name === name);
    if (sink === undefined)
      throw usage(
        "worker",
        `flow ${spec.name} has no sink "${name}" (it has ${spec.sinks.map((s) => s.name).join(", ")})`,
      );
    return sink;
  });
  const logger = createLogger({ level: values["log-level"] ?? "info" });
  const stop = new AbortController();
  void untilSignal(logger).then(() => stop.abort());
  const say = (sink: string, text: string) =>
    io.err(`sophia flow worker: ${spec.name}/${sink}: ${text}\n`);
  const heapCaps = capHeap();
  const runs = sinks.map((sink) =>
    runSinkWorker(spec, sink, {
      config,
      cwd: io.cwd,
      logger,
      signal: stop.signal,
      onStandby: (name) => say(name, "standby (another worker leads this sink)"),
      onLead: (name) => say(name, "leading: consuming"),
    }).catch((error: unknown) => {
      stop.abort(); // one sink failing stops the process: a supervisor restarts it as a standby
      throw error;
    }),
  );
  const results = await Promise.allSettled(runs);
  heapCaps.stop();
  await flushed(logger);
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return EXIT.ok;
}
