/** `sophia flow export --estuary`: an Estuary Flow catalog built from sophia.yaml and the sources' catalogs. */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { estuaryCatalog } from "../../flow/export/estuary.ts";
import { exportSpecsFromConfig } from "../../flow/export/from-config.ts";
import { EXIT } from "../exit-codes.ts";
import type { Io } from "../io.ts";
import { parseFlowArgs, usage } from "./args.ts";
import { FLOW_HELP } from "./help.ts";
import { loadFlows } from "./load.ts";

export async function exportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlowArgs(
    "export",
    args,
    {
      config: { type: "string", short: "c" },
      estuary: { type: "boolean" },
      out: { type: "string" },
      prefix: { type: "string" },
    },
    true,
  );
  if (values.help) {
    io.out(FLOW_HELP.export);
    return EXIT.ok;
  }
  if (!values.estuary) throw usage("export", "name the format: --estuary (the only one so far)");
  const { flows } = await loadFlows(io, values.config, positionals);
  const text = estuaryCatalog(await exportSpecsFromConfig(flows), {
    prefix: values.prefix ?? "sophia",
  });
  if (values.out === undefined || values.out === "-") {
    for (const line of text.replace(/\n$/, "").split("\n")) io.out(line);
    return EXIT.ok;
  }
  const file = resolve(io.cwd, values.out);
  await writeFile(file, text);
  io.err(`sophia flow export: wrote ${file} (${flows.length} flow(s))\n`);
  return EXIT.ok;
}
