/** `sophia stack <subcommand>`: each subcommand is loaded only when run. */
import { SophiaError } from "../../shared/errors.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { STACK_HELP } from "./help.ts";

export async function stackCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "-h" || sub === "--help" || sub === "help") {
    io.out(STACK_HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub === "generate") return (await import("./generate.ts")).generateCommand(rest, io);
  if (sub === "new-server") return (await import("./new-server.ts")).newServerCommand(rest, io);
  throw new SophiaError("USAGE", `sophia stack: unknown subcommand "${sub}"`, {
    hint: "use sophia stack generate or sophia stack new-server (see sophia stack --help)",
  });
}
