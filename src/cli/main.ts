import { GATEWAY_VERSION } from "../gateway/index.ts";
import { isSophiaError } from "../shared/errors.ts";
import { EXIT, exitCodeFor } from "./exit-codes.ts";
import { HELP } from "./help.ts";
import { parseServeOptions } from "./options.ts";
import { type Io, serveGateway } from "./serve.ts";

/** The CLI: the only place in Sophia that prints to the terminal and exits. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    io.out(HELP.main!);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "-v" || command === "--version") {
    io.out(GATEWAY_VERSION);
    return EXIT.ok;
  }
  if (command !== "up" && command !== "gateway") {
    process.stderr.write(`sophia: unknown command "${command}"\n\n${HELP.main}\n`);
    return EXIT.usage;
  }
  const options = parseServeOptions(command, rest);
  if (options.help) {
    io.out(HELP[command]!);
    return EXIT.ok;
  }
  await serveGateway(options, io, command === "up" ? "sophia up:" : "sophia gateway:");
  return EXIT.ok;
}

function report(error: unknown): number {
  if (isSophiaError(error)) {
    process.stderr.write(`sophia: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
    return exitCodeFor(error.code);
  }
  process.stderr.write(
    `sophia: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failure;
}

/** Runs the CLI with this process's arguments and exits with its code. */
export function run(argv = process.argv.slice(2)): void {
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
  main(argv, io).then(
    (code) => process.exit(code),
    (error: unknown) => process.exit(report(error)),
  );
}

if (import.meta.main) run();
