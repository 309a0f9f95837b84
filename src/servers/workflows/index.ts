/** The `workflows` built-in server: n8n workflows as tools (list, run through webhooks). */
import type { SophiaConfig } from "../../config/index.ts";
import { validateSection } from "../../config/index.ts";
import { serveMcp } from "../shared/serve.ts";
import type { BuiltinDefinition } from "../shared/types.ts";
import { OPTION_KEYS, workflowsOptionsSchema } from "./options.ts";
import { workflowsServer } from "./tools.ts";

export interface WorkflowsDeps {
  config: SophiaConfig;
  version: string;
  fetch?: typeof fetch;
}

export function workflowsDefinition(deps: WorkflowsDeps): BuiltinDefinition {
  return {
    prepare(spec) {
      const options = validateSection(
        deps.config,
        ["servers", spec.name, "options"],
        spec.options,
        workflowsOptionsSchema,
        OPTION_KEYS,
      );
      const client = {
        baseUrl: options.url,
        apiKey: options.apiKey,
        timeoutMs: options.timeout,
        fetch: deps.fetch ?? fetch,
      };
      return serveMcp(() => workflowsServer(client, options, deps.version));
    },
  };
}
