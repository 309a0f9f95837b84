/** The flows a subcommand works on: from sophia.yaml (or --config), optionally narrowed by name. */
import { loadConfig, type SophiaConfig } from "../../config/index.ts";
import { readFlows, selectFlows } from "../../flow/config/read-flows.ts";
import type { FlowSpec } from "../../flow/config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Io } from "../io.ts";

export async function loadFlows(
  io: Io,
  file: string | undefined,
  names: string[],
): Promise<{ config: SophiaConfig; flows: FlowSpec[] }> {
  const config = await loadConfig({ ...(file ? { file } : {}), cwd: io.cwd, env: io.env });
  const flows = selectFlows(readFlows(config), names);
  if (flows.length === 0)
    throw new SophiaError("CONFIG_INVALID", `${config.file ?? "sophia.yaml"}: no flows: section`, {
      hint: "add a flow (see docs/flow.md) or use the one-line form: sophia flow run --source URL --table T --webhook URL",
    });
  return { config, flows };
}
