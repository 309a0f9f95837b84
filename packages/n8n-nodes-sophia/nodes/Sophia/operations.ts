/** What each operation does for one input item; errors are thrown and handled by the node. */
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeExecutionData,
  NodeOperationError,
} from "n8n-workflow";
import { callTool, listTools, resultText } from "./gateway";

/** A `json` parameter as an object: n8n gives a string, or an object when an expression made one. */
function jsonObject(ctx: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
  const value = ctx.getNodeParameter(name, itemIndex, "{}") as unknown;
  let parsed = value;
  if (typeof value === "string") {
    if (value.trim() === "") return {};
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new NodeOperationError(ctx.getNode(), `${name} is not valid JSON`, {
        description: (error as Error).message,
        itemIndex,
      });
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new NodeOperationError(ctx.getNode(), `${name} must be a JSON object`, {
      description: `Got ${Array.isArray(parsed) ? "an array" : typeof parsed}: use {"key": value}`,
      itemIndex,
    });
  return parsed as IDataObject;
}

function requiredString(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
  const value = String(ctx.getNodeParameter(name, itemIndex, "")).trim();
  if (value === "")
    throw new NodeOperationError(ctx.getNode(), `${name} is empty`, {
      description: `Set the ${name} parameter`,
      itemIndex,
    });
  return value;
}

function paired(json: IDataObject, itemIndex: number): INodeExecutionData {
  return { json, pairedItem: { item: itemIndex } };
}

export async function runListTools(ctx: IExecuteFunctions, itemIndex: number) {
  const tools = await listTools(ctx, itemIndex);
  return tools.map((tool) => paired({ ...tool }, itemIndex));
}

export async function runCallTool(ctx: IExecuteFunctions, itemIndex: number) {
  const server = requiredString(ctx, "server", itemIndex);
  const tool = requiredString(ctx, "tool", itemIndex);
  const args = jsonObject(ctx, "arguments", itemIndex);
  const result = await callTool(ctx, server, tool, args, itemIndex);
  return [paired({ server, tool, ...result, text: resultText(result) }, itemIndex)];
}

/** The JSON a knowledge search returns: structured content, else its text parsed. */
function searchHits(ctx: IExecuteFunctions, result: IDataObject, itemIndex: number): IDataObject[] {
  let value: unknown = result.structuredContent;
  if (value === undefined) {
    try {
      value = JSON.parse(resultText(result));
    } catch {
      throw new NodeOperationError(ctx.getNode(), "The knowledge search answer is not JSON", {
        description: resultText(result).slice(0, 500),
        itemIndex,
      });
    }
  }
  const results = (value as { results?: unknown } | null)?.results;
  if (!Array.isArray(results))
    throw new NodeOperationError(ctx.getNode(), "The knowledge search answer has no results list", {
      itemIndex,
    });
  return results as IDataObject[];
}

export async function runSearch(ctx: IExecuteFunctions, itemIndex: number) {
  const server = requiredString(ctx, "knowledgeServer", itemIndex);
  const query = requiredString(ctx, "query", itemIndex);
  const topK = Number(ctx.getNodeParameter("topK", itemIndex, 5));
  const filter = jsonObject(ctx, "filter", itemIndex);
  const args: IDataObject = { query, topK };
  if (Object.keys(filter).length > 0) args.filter = filter;
  const result = await callTool(ctx, server, "search", args, itemIndex);
  return searchHits(ctx, result, itemIndex).map((hit) => paired({ ...hit }, itemIndex));
}
