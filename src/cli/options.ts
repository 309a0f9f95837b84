import { parseArgs } from "node:util";
import { SophiaError } from "../shared/errors.ts";

export interface ServeOptions {
  config: string | undefined;
  host: string | undefined;
  port: number | undefined;
  stdio: boolean;
  logLevel: string | undefined;
  help: boolean;
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Parses the options shared by `up` and `gateway`; usage errors name the option and what it takes. */
export function parseServeOptions(command: string, args: string[]): ServeOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: "string", short: "c" },
        host: { type: "string" },
        port: { type: "string", short: "p" },
        stdio: { type: "boolean" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new SophiaError("USAGE", `sophia ${command}: ${(error as Error).message}`, {
      hint: `see sophia ${command} --help`,
    });
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new SophiaError(
      "USAGE",
      `sophia ${command}: --port must be an integer from 0 to 65535, got "${values.port}"`,
    );
  }
  const logLevel = values["log-level"] as string | undefined;
  if (logLevel !== undefined && !LEVELS.includes(logLevel)) {
    throw new SophiaError(
      "USAGE",
      `sophia ${command}: --log-level must be one of ${LEVELS.join(", ")}, got "${logLevel}"`,
    );
  }
  if (values.stdio === true && command !== "gateway") {
    throw new SophiaError("USAGE", `sophia ${command}: --stdio is an option of sophia gateway`);
  }
  return {
    config: values.config as string | undefined,
    host: values.host as string | undefined,
    port,
    stdio: values.stdio === true,
    logLevel,
    help: values.help === true,
  };
}
