import {
  type IExecuteFunctions,
  type ILoadOptionsFunctions,
  type INodeExecutionData,
  type INodePropertyOptions,
  type INodeType,
  type INodeTypeDescription,
  NodeApiError,
  NodeConnectionTypes,
  NodeOperationError,
} from "n8n-workflow";
import { properties } from "./description";
import { listTools } from "./gateway";
import { runCallTool, runListTools, runSearch } from "./operations";

type Operation = (ctx: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const OPERATIONS: Record<string, Operation> = {
  "tool:list": runListTools,
  "tool:call": runCallTool,
  "knowledge:search": runSearch,
};

type NodeError = NodeApiError | NodeOperationError;

/** The error as n8n's node error (by name too: n8n may load another copy of n8n-workflow). */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "NodeApiError" || name === "NodeOperationError") return error as NodeError;
  return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** The item n8n passes on for a failed input item when "continue on fail" is on. */
function failedItem(error: NodeError, itemIndex: number): INodeExecutionData {
  const httpCode = (error as { httpCode?: string | null }).httpCode;
  return {
    json: {
      error: error.message,
      ...(error.description ? { description: error.description } : {}),
      ...(httpCode ? { httpCode } : {}),
    },
    pairedItem: { item: itemIndex },
  };
}

export class Sophia implements INodeType {
  description: INodeTypeDescription = {
    displayName: "Sophia",
    name: "sophia",
    icon: { light: "file:../../icons/sophia.svg", dark: "file:../../icons/sophia.dark.svg" },
    group: ["transform"],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: "Call the tools behind a Sophia MCP gateway and search its live knowledge",
    defaults: { name: "Sophia" },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: "sophiaApi", required: true }],
    properties,
  };

  methods = {
    loadOptions: {
      async getServers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const servers = new Set((await listTools(this)).map((tool) => tool.server));
        return [...servers].sort().map((server) => ({ name: server, value: server }));
      },
      async getTools(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
        const server = String(this.getCurrentNodeParameter("server") ?? "");
        return (await listTools(this))
          .filter((tool) => tool.server === server)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((tool) => ({
            name: tool.name,
            value: tool.name,
            ...(tool.description ? { description: tool.description } : {}),
          }));
      },
    },
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const out: INodeExecutionData[] = [];
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      try {
        const resource = this.getNodeParameter("resource", itemIndex) as string;
        const operation = this.getNodeParameter("operation", itemIndex) as string;
        const run = OPERATIONS[`${resource}:${operation}`];
        if (!run)
          throw new NodeOperationError(
            this.getNode(),
            `Unknown operation "${operation}" for resource "${resource}"`,
            { itemIndex },
          );
        out.push(...(await run(this, itemIndex)));
      } catch (error) {
        const nodeError = asNodeError(this, error, itemIndex);
        if (!this.continueOnFail()) throw nodeError;
        out.push(failedItem(nodeError, itemIndex));
      }
    }
    return [out];
  }
}
