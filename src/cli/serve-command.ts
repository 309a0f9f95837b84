import { EXIT } from "./exit-codes.ts";
import { HELP } from "./help.ts";
import type { Io } from "./io.ts";
import { parseServeOptions } from "./options.ts";
import { serveGateway } from "./serve.ts";

export async function upCommand(args: string[], io: Io): Promise<number> {
  const options = parseServeOptions("up", args);
  if (options.help) {
    io.out(HELP.up!);
    return EXIT.ok;
  }
  await serveGateway(options, io, "sophia up:", true);
  return EXIT.ok;
}

export async function gatewayCommand(args: string[], io: Io): Promise<number> {
  const options = parseServeOptions("gateway", args);
  if (options.help) {
    io.out(HELP.gateway!);
    return EXIT.ok;
  }
  await serveGateway(options, io, "sophia gateway:");
  return EXIT.ok;
}
