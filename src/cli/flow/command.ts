/** `sophia flow <subcommand>`: each subcommand is its own file, loaded when used. */
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { usage } from "./args.ts";
import { FLOW_HELP } from "./help.ts";

type Sub = (args: string[], io: Io) => Promise<number>;

const SUBCOMMANDS: Record<string, () => Promise<Sub>> = {
  run: async () => (await import("./run.ts")).runCommand,
  status: async () => (await import("./status.ts")).statusCommand,
  dlq: async () => (await import("./dlq.ts")).dlqCommand,
  backfill: async () => (await import("./backfill.ts")).backfillCommand,
  export: async () => (await import("./export.ts")).exportCommand,
  capture: async () => (await import("./distributed.ts")).captureCommand,
  worker: async () => (await import("./distributed.ts")).workerCommand,
};

export async function flowCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    io.out(FLOW_HELP.main);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (load === undefined)
    throw usage(sub, `unknown subcommand (run, status, backfill, dlq, export, capture or worker)`);
  return (await load())(rest, io);
}
