/**
 * The one-line form `sophia flow run --source URL --table T --webhook URL`:
 * the same FlowSpec a config file would give, built from flags. It goes
 * through the same schema so a bad flag gets the same message as bad YAML.
 */
import { SophiaError } from "../../shared/errors.ts";
import { toSpec } from "./read-flows.ts";
import { flowSchema } from "./schema.ts";
import type { FlowSpec } from "./types.ts";

export interface OneLineFlags {
  name: string;
  source: string;
  tables: string[];
  webhook: string;
  secret: string | undefined;
  stateDir: string | undefined;
}

export function oneLineFlow(flags: OneLineFlags): FlowSpec {
  const input = {
    source: { postgres: flags.source, tables: flags.tables },
    sinks: {
      webhook: {
        webhook: {
          url: flags.webhook,
          ...(flags.secret === undefined ? {} : { secret: flags.secret }),
        },
      },
    },
    ...(flags.stateDir === undefined ? {} : { state: { dir: flags.stateDir } }),
  };
  const parsed = flowSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.join(".") ?? "";
    throw new SophiaError("USAGE", `sophia flow run: ${where}: ${first?.message ?? "invalid"}`, {
      hint: "example: sophia flow run --source postgres://localhost/app --table public.tickets --webhook https://example.com/hook",
    });
  }
  return toSpec(flags.name, parsed.data);
}
