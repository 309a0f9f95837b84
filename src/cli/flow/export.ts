/** `sophia flow export --estuary`: waits for the transforms part's estuaryCatalog. */
import { SophiaError } from "../../shared/errors.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseFlowArgs } from "./args.ts";
import { FLOW_HELP } from "./help.ts";

export async function exportCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlowArgs("export", args, {
    config: { type: "string", short: "c" },
    estuary: { type: "boolean" },
    out: { type: "string" },
  });
  if (values.help) {
    io.out(FLOW_HELP.export);
    return EXIT.ok;
  }
  throw new SophiaError("INTERNAL", "sophia flow export is not available in this build yet", {
    hint: "the Estuary catalog export has not landed; see docs/flow.md",
  });
}
