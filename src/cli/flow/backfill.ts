/** `sophia flow backfill`: waits for the capture part's backfill (src/flow/capture/backfill*.ts). */
import { SophiaError } from "../../shared/errors.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseFlowArgs } from "./args.ts";
import { FLOW_HELP } from "./help.ts";

export async function backfillCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlowArgs(
    "backfill",
    args,
    { config: { type: "string", short: "c" }, table: { type: "string", multiple: true } },
    true,
  );
  if (values.help) {
    io.out(FLOW_HELP.backfill);
    return EXIT.ok;
  }
  throw new SophiaError("INTERNAL", "sophia flow backfill is not available in this build yet", {
    hint: "the capture part's backfill has not landed; see docs/flow.md",
  });
}
