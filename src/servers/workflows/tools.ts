/** The workflows server's MCP tools: list n8n workflows, run one through its webhook. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { SophiaError } from "../../shared/errors.ts";
import { guarded } from "../shared/results.ts";
import { getWorkflow, listWorkflows, type N8nClient, runWebhook } from "./n8n.ts";
import type { WorkflowsOptions } from "./options.ts";
import { configuredTarget, type WebhookTarget, webhookOf } from "./webhook.ts";

interface Listed {
  id: string | null;
  name: string;
  active: boolean;
  tags: string[];
  runnable: boolean;
  description?: string;
}

async function catalog(client: N8nClient, options: WorkflowsOptions): Promise<Listed[]> {
  const named: Listed[] = Object.entries(options.webhooks).map(([name, hook]) => ({
    id: null,
    name,
    active: true,
    tags: [],
    runnable: true,
    ...(hook.description === undefined ? {} : { description: hook.description }),
  }));
  if (client.apiKey === undefined) return named;
  const listed = (await listWorkflows(client, options.activeOnly)).map((w) => ({
    id: w.id,
    name: w.name,
    active: w.active,
    tags: (w.tags ?? []).flatMap((t) => (t.name === undefined ? [] : [t.name])),
    runnable: w.active && webhookOf(client.baseUrl, w.nodes ?? []) !== undefined,
  }));
  return [...named, ...listed];
}

/** A configured webhook by name, else the n8n workflow by id or exact name. */
async function targetOf(
  client: N8nClient,
  options: WorkflowsOptions,
  workflow: string,
): Promise<WebhookTarget> {
  const hook = options.webhooks[workflow];
  const configured = hook && configuredTarget(client.baseUrl, hook);
  if (configured) return configured;
  const byName = client.apiKey
    ? (await listWorkflows(client, false)).find((w) => w.name === workflow || w.id === workflow)
    : undefined;
  if (byName === undefined)
    throw new SophiaError("NOT_FOUND", `workflows: no workflow "${workflow}"`, {
      hint: "call list_workflows for the names and ids",
    });
  const full = await getWorkflow(client, byName.id);
  const target = webhookOf(client.baseUrl, full.nodes ?? []);
  if (target === undefined || !full.active)
    throw new SophiaError("BUILTIN_REFUSED", `workflows: "${full.name}" cannot be run from here`, {
      hint: full.active
        ? "give the workflow a Webhook trigger node (Respond: when last node finishes) to run it"
        : "activate the workflow in n8n: production webhooks only answer for active workflows",
    });
  return target;
}

export function workflowsServer(
  client: N8nClient,
  options: WorkflowsOptions,
  version: string,
): McpServer {
  const server = new McpServer({ name: "sophia-workflows", version });
  server.registerTool(
    "list_workflows",
    {
      description: "The n8n workflows that can be run, by name and id.",
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    () => guarded(async () => ({ workflows: await catalog(client, options) })),
  );
  server.registerTool(
    "run_workflow",
    {
      description: "Run an n8n workflow through its webhook and return its answer.",
      inputSchema: {
        workflow: z.string().min(1).describe("The workflow's name or id (from list_workflows)"),
        input: z.record(z.string(), z.unknown()).default({}).describe("JSON the workflow receives"),
      },
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    ({ workflow, input }) =>
      guarded(async () => {
        const target = await targetOf(client, options, workflow);
        const answer = await runWebhook(client, target, input);
        return { workflow, status: answer.status, response: answer.body };
      }),
  );
  return server;
}
