import type { Interceptor, ListFilter } from "../mcp/call-pipeline.ts";
import { failure } from "../mcp/outcomes.ts";
import type { ToolPins } from "./tool-pins.ts";
import { TOOL_DEFINITION_CHANGED } from "./wire.ts";

/** Mode "block": calls to a changed, unapproved tool are refused. */
export function pinningInterceptor(pins: ToolPins): Interceptor {
  return (call, next) => {
    if (call.kind !== "tool" || !pins.blocked(call.server, call.name)) return next();
    return Promise.resolve(
      failure(
        TOOL_DEFINITION_CHANGED,
        `Tool "${call.exposedName}" is blocked: its definition changed since it was approved. An operator must review it and run: sophia tools approve ${call.server}/${call.name}`,
        { tool: `${call.server}/${call.name}` },
      ),
    );
  };
}

/** Mode "block": a changed, unapproved tool is left out of tools/list. */
export function pinningFilter(pins: ToolPins): ListFilter {
  return (_principal, entry) => entry.kind !== "tools" || !pins.blocked(entry.server, entry.name);
}
