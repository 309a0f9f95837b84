/** `sophia flow dlq list|replay|drop <flow> [--sink S] [--id ID|--all]`: the dead letters of webhook sinks. */
import type { FlowSpec } from "../../flow/config/types.ts";
import { validateOptions } from "../../flow/engine/parts.ts";
import { deadLetterStoreFor } from "../../flow/engine/start-flow.ts";
import {
  createWebhookDelivery,
  type DeadLetter,
  type DeadLetterStore,
  replayDeadLetters,
  webhookSinkOptions,
} from "../../flow/sinks/index.ts";
import { createLogger } from "../../shared/logger.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseFlowArgs, usage } from "./args.ts";
import { FLOW_HELP } from "./help.ts";
import { loadFlows } from "./load.ts";

const OPTIONS = {
  config: { type: "string", short: "c" },
  sink: { type: "string" },
  id: { type: "string", multiple: true },
  all: { type: "boolean" },
  json: { type: "boolean" },
} as const;

export async function dlqCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlowArgs("dlq", args, OPTIONS, true);
  const [action, flowName] = positionals;
  if (values.help || action === undefined) {
    io.out(FLOW_HELP.dlq);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (!["list", "replay", "drop"].includes(action))
    throw usage("dlq", `unknown action "${action}" (list, replay or drop)`);
  if (flowName === undefined) throw usage("dlq", `${action} needs the flow's name`);
  const { config, flows } = await loadFlows(io, values.config, [flowName]);
  const flow = flows[0] as FlowSpec;
  const store = deadLetterStoreFor(flow.state, io.cwd);
  await store.start();
  try {
    const letters = await store.list({
      flow: flow.name,
      ...(values.sink ? { sink: values.sink } : {}),
      limit: 100_000,
    });
    if (action === "list") return list(letters, values.json === true, io);
    const chosen = values.all
      ? letters
      : letters.filter((letter) => values.id?.includes(letter.id));
    if (!values.all && (values.id === undefined || values.id.length === 0))
      throw usage("dlq", `${action} needs --id ID (repeatable) or --all`);
    if (action === "drop") {
      io.out(`dropped ${await store.drop(chosen.map((letter) => letter.id))} dead letter(s)`);
      return EXIT.ok;
    }
    return replay(flow, config, store, chosen, io);
  } finally {
    await store.stop();
  }
}

function list(letters: DeadLetter[], json: boolean, io: Io): number {
  if (json) io.out(JSON.stringify(letters, null, 2));
  else
    for (const letter of letters)
      io.out(
        `${letter.id}  ${letter.createdAt}  sink ${letter.sink}  ${letter.events.length} event(s)  ${letter.reason}`,
      );
  if (!json) io.out(`${letters.length} dead letter(s)`);
  return EXIT.ok;
}

async function replay(
  flow: FlowSpec,
  config: Parameters<typeof validateOptions>[0]["config"],
  store: DeadLetterStore,
  letters: DeadLetter[],
  io: Io,
): Promise<number> {
  const logger = createLogger({ level: "warn" });
  let failed = 0;
  for (const sink of flow.sinks.filter((s) => s.kind === "webhook")) {
    const mine = letters.filter((letter) => letter.sink === sink.name);
    if (mine.length === 0) continue;
    const ctx = { config, configDir: io.cwd, logger, deadLetters: store };
    const options = validateOptions(
      ctx,
      sink,
      { kind: "webhook", ...(sink.options as object) },
      webhookSinkOptions,
    );
    const delivery = createWebhookDelivery(options, { logger, flow: flow.name });
    try {
      for (const result of await replayDeadLetters(store, delivery, mine)) {
        io.out(
          `${result.id}: ${result.delivered ? "delivered and dropped" : `still failing: ${result.reason}`}`,
        );
        if (!result.delivered) failed++;
      }
    } finally {
      await delivery.close();
    }
  }
  return failed === 0 ? EXIT.ok : EXIT.failure;
}
