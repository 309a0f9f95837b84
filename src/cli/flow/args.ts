/** parseArgs for the flow subcommands: usage errors name the subcommand and point to its --help. */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { SophiaError } from "../../shared/errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseFlowArgs<T extends Options>(
  sub: string,
  args: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: positionals,
    });
  } catch (error) {
    throw usage(sub, (error as Error).message);
  }
}

export function usage(sub: string, message: string): SophiaError {
  return new SophiaError("USAGE", `sophia flow ${sub}: ${message}`, {
    hint: `see sophia flow ${sub} --help`,
  });
}
