import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { SophiaError } from "../../shared/errors.ts";

export type Values = Record<string, string | boolean | undefined>;

/** parseArgs with usage errors that name the command. */
export function parseStackArgs(
  command: string,
  args: string[],
  options: ParseArgsOptionsConfig,
): Values {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values as Values;
  } catch (error) {
    throw new SophiaError("USAGE", `sophia stack ${command}: ${(error as Error).message}`, {
      hint: `see sophia stack ${command} --help`,
    });
  }
}

export function stringValue(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === "string" ? value : undefined;
}
