import { isSophiaError } from "../shared/errors.ts";
import { SOPHIA_VERSION } from "../shared/version.ts";
import { COMMANDS } from "./commands.ts";
import { EXIT, exitCodeFor } from "./exit-codes.ts";
import { mainHelp } from "./help.ts";
import type { Io } from "./io.ts";

/** The CLI: the only place in Sophia that prints to the terminal and exits. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    io.out(mainHelp());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "-v" || command === "--version") {
    io.out(SOPHIA_VERSION);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (entry === undefined) {
    io.err(`sophia: unknown command "${command}"\n\n${mainHelp()}\n`);
    return EXIT.usage;
  }
  const run = await entry.load();
  return run(rest, io);
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
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
  main(argv, io).then(
    (code) => process.exit(code),
    (error: unknown) => process.exit(report(error)),
  );
}

if (import.meta.main) run();
