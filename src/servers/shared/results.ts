/** Tool results as MCP wants them: JSON as text, failures as `isError` results (the session lives on). */
import { errorMessage, isSophiaError } from "../../shared/errors.ts";

export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  isError?: boolean;
}

export function jsonResult(value: unknown): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
}

/** A failure the model can read and act on: the message, and the hint when there is one. */
export function errorResult(error: unknown): ToolResult {
  const hint = isSophiaError(error) && error.hint !== undefined ? ` (${error.hint})` : "";
  return { content: [{ type: "text", text: `${errorMessage(error)}${hint}` }], isError: true };
}

/** Runs a tool body, turning any thrown error into an error result. */
export async function guarded(body: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return jsonResult(await body());
  } catch (error) {
    return errorResult(error);
  }
}
