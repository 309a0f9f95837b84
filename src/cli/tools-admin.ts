/** `sophia tools list|approve`: review tool definitions that changed since they were pinned, and approve them. */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/index.ts";
import { DEFAULT_PIN_FILE, readPinning } from "../gateway/pinning/config.ts";
import { readPins, writePins } from "../gateway/pinning/pin-file.ts";
import { approve, type Pins } from "../gateway/pinning/pins.ts";
import { isSophiaError, SophiaError } from "../shared/errors.ts";
import type { Command } from "./commands.ts";
import { EXIT } from "./exit-codes.ts";
import type { Io } from "./io.ts";

const USAGE = `usage: sophia tools <list|approve> [options]
  list [--changed] [--json]     pinned tools; --changed: only definitions changed since approval
  approve <server>/<tool>...    accept the new definition of these tools (a running gateway
                                picks it up within gateway.pinning.poll, no restart)
  approve --all                 accept every changed definition
  --file <path>                 the pin file (default: gateway.pinning.file of the config, else ${DEFAULT_PIN_FILE})
  --config <path>               the configuration to read the pin file from (default sophia.yaml)`;

const OPTIONS = {
  changed: { type: "boolean" },
  json: { type: "boolean" },
  all: { type: "boolean" },
  file: { type: "string" },
  config: { type: "string" },
  help: { type: "boolean" },
} as const;

export const toolsCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  const [action, ...targets] = positionals;
  if (values.help || action === undefined) {
    io.out(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (action !== "list" && action !== "approve")
    throw new SophiaError("USAGE", `unknown tools action "${action}"`, { hint: USAGE });
  const file = await pinFile(values, io);
  const pins = await readPins(file);
  if (action === "list") return list(pins, values.changed === true, values.json === true, io);
  if (targets.length === 0 && !values.all)
    throw new SophiaError("USAGE", "tools approve needs <server>/<tool>... or --all", {
      hint: USAGE,
    });
  return approveTools(file, pins, values.all ? undefined : targets, io);
};

function list(pins: Pins, changedOnly: boolean, json: boolean, io: Io): number {
  const entries = Object.entries(pins.tools)
    .filter(([, pin]) => !changedOnly || pin.pending !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  if (json) {
    io.out(JSON.stringify(Object.fromEntries(entries), null, 2));
    return EXIT.ok;
  }
  for (const [key, pin] of entries) {
    const state = pin.pending
      ? `CHANGED ${pin.pending.seenAt} (${pin.pending.changed.join(", ")}) sha256 ${pin.pending.sha256.slice(0, 12)}`
      : "approved";
    io.out(`${key}  sha256 ${pin.sha256.slice(0, 12)}  approved ${pin.approvedAt}  ${state}`);
  }
  if (entries.length === 0)
    io.err(changedOnly ? "no changed tool definitions\n" : "no pinned tools yet\n");
  return EXIT.ok;
}

async function approveTools(
  file: string,
  pins: Pins,
  keys: string[] | undefined,
  io: Io,
): Promise<number> {
  for (const key of keys ?? []) {
    const pin = pins.tools[key];
    if (!pin?.pending)
      throw new SophiaError(
        "NOT_FOUND",
        pin
          ? `${key} has no changed definition to approve`
          : `no pinned tool named ${key} in ${file}`,
        { hint: "see the changed ones with: sophia tools list --changed" },
      );
  }
  const result = approve(pins, keys, new Date().toISOString());
  if (result.approved.length === 0) {
    io.err("no changed tool definitions to approve\n");
    return EXIT.ok;
  }
  await writePins(file, result.pins);
  for (const key of result.approved) io.out(`approved ${key}`);
  return EXIT.ok;
}

async function pinFile(values: { file?: string; config?: string }, io: Io): Promise<string> {
  if (values.file !== undefined) return resolve(io.cwd, values.file);
  try {
    const config = await loadConfig({ file: values.config, cwd: io.cwd, env: io.env });
    return readPinning(config)?.file ?? resolve(io.cwd, DEFAULT_PIN_FILE);
  } catch (error) {
    // No configuration file at all: the default pin file of this directory.
    if (values.config === undefined && isSophiaError(error, "CONFIG_NOT_FOUND"))
      return resolve(io.cwd, DEFAULT_PIN_FILE);
    throw error;
  }
}
