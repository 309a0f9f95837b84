/**
 * The templates in examples/: each sophia.yaml loads and every flow part and
 * built-in server accepts its options; each n8n workflow uses only node types
 * that exist (the built n8n-nodes-sophia package, a few n8n core nodes), with
 * parameters and credentials those nodes declare, connections between real
 * nodes, and names (servers, webhook paths) that its sophia.yaml defines.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig, type SophiaConfig } from "../../src/config/index.ts";
import { createLocalEmbedder } from "../../src/flow/embed/index.ts";
import { buildSink, buildTransform, type PartsContext } from "../../src/flow/engine/parts.ts";
import { readFlows } from "../../src/flow/index.ts";
import type { DeadLetterStore } from "../../src/flow/sinks/index.ts";
import { builtinServers } from "../../src/servers/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples");
const PACKAGE = join(ROOT, "packages", "n8n-nodes-sophia");
const require = createRequire(import.meta.url);

/** Values for every ${VAR} the examples use: shapes only, nothing is contacted. */
const ENV: Record<string, string> = {
  DATABASE_URL: "postgres://app@127.0.0.1:5432/app",
  READONLY_DATABASE_URL: "postgres://reader@127.0.0.1:5432/app",
  N8N_URL: "http://127.0.0.1:5678",
  ORDERS_WEBHOOK_SECRET: "orders-secret-0123456789",
  TICKETS_WEBHOOK_SECRET: "tickets-secret-0123456789",
  CRM_MCP_URL: "http://127.0.0.1:9000/mcp",
  CRM_TOKEN: "crm-token",
};

interface Property {
  name: string;
  options?: Array<{ value?: unknown }>;
  displayOptions?: { show?: Record<string, unknown[]> };
}
interface Description {
  name: string;
  properties: Property[];
  credentials?: Array<{ name: string }>;
}

/** The package's node descriptions, as n8n loads them, by the type a UI install gives them. */
function sophiaNodes(): Map<string, Description> {
  const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as {
    name: string;
    n8n: { nodes: string[] };
  };
  const nodes = new Map<string, Description>();
  for (const file of manifest.n8n.nodes) {
    const loaded = require(join(PACKAGE, file)) as Record<
      string,
      new () => { description: Description }
    >;
    for (const NodeClass of Object.values(loaded)) {
      const { description } = new NodeClass();
      nodes.set(`${manifest.name}.${description.name}`, description);
    }
  }
  return nodes;
}

/** n8n core nodes the templates may use (all ship with n8n 1.x). */
const CORE_NODES = new Set([
  "n8n-nodes-base.webhook",
  "n8n-nodes-base.code",
  "n8n-nodes-base.httpRequest",
  "n8n-nodes-base.respondToWebhook",
  "n8n-nodes-base.postgres",
]);

/** n8n's per-node settings, allowed on any node beside `parameters`. */
const NODE_SETTINGS = new Set(
  "id name type typeVersion position parameters credentials webhookId retryOnFail maxTries waitBetweenTries onError alwaysOutputData notes".split(
    " ",
  ),
);

interface WorkflowNode {
  name: string;
  type: string;
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  webhookId?: string;
  [setting: string]: unknown;
}
interface Workflow {
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

function visible(property: Property, parameters: Record<string, unknown>): boolean {
  const show = property.displayOptions?.show ?? {};
  return Object.entries(show).every(([name, values]) => values.includes(parameters[name]));
}

function checkSophiaNode(node: WorkflowNode, description: Description): void {
  const where = `node "${node.name}"`;
  const shown = description.properties.filter((p) => visible(p, node.parameters));
  for (const [name, value] of Object.entries(node.parameters)) {
    const property = shown.find((p) => p.name === name);
    assert.ok(
      property,
      `${where}: parameter "${name}" is not one the ${description.name} node shows here`,
    );
    if (property.options !== undefined && typeof value === "string" && !value.startsWith("="))
      assert.ok(
        property.options.some((o) => o.value === value),
        `${where}: "${name}" is "${value}", not one of the node's options`,
      );
  }
  const declared = new Set((description.credentials ?? []).map((c) => c.name));
  for (const type of Object.keys(node.credentials ?? {}))
    assert.ok(declared.has(type), `${where}: credential type "${type}" is not the node's`);
}

function checkWorkflow(
  workflow: Workflow,
  config: SophiaConfig,
  nodes: Map<string, Description>,
): void {
  const names = new Set(workflow.nodes.map((n) => n.name));
  assert.equal(names.size, workflow.nodes.length, "node names are unique");
  const targets = new Set<string>();
  for (const [from, { main }] of Object.entries(workflow.connections)) {
    assert.ok(names.has(from), `a connection starts at "${from}", which is no node`);
    for (const output of main)
      for (const { node } of output) {
        assert.ok(names.has(node), `"${from}" connects to "${node}", which is no node`);
        targets.add(node);
      }
  }
  const servers = config.servers as Record<string, { builtin?: string }>;
  for (const node of workflow.nodes) {
    for (const key of Object.keys(node))
      assert.ok(NODE_SETTINGS.has(key), `node "${node.name}": unknown setting "${key}"`);
    const description = nodes.get(node.type);
    assert.ok(
      description !== undefined || CORE_NODES.has(node.type),
      `node "${node.name}": type ${node.type} is neither a Sophia node nor a core node the templates use`,
    );
    const trigger = node.type.endsWith("sophiaTrigger") || node.type === "n8n-nodes-base.webhook";
    if (trigger) {
      assert.ok(
        node.webhookId,
        `trigger "${node.name}" needs a webhookId for its /webhook/<path> URL`,
      );
      assert.equal(targets.has(node.name), false, `trigger "${node.name}" has an input`);
    } else {
      assert.ok(
        targets.has(node.name),
        `node "${node.name}" is not connected to anything before it`,
      );
    }
    if (description === undefined) continue;
    checkSophiaNode(node, description);
    const { parameters: p } = node;
    if (p.resource === "tool" && p.operation === "call")
      assert.ok(
        servers[p.server as string],
        `node "${node.name}" calls server "${p.server}", which sophia.yaml lacks`,
      );
    if (p.resource === "knowledge")
      assert.equal(
        servers[p.knowledgeServer as string]?.builtin,
        "knowledge",
        `node "${node.name}" searches "${p.knowledgeServer}", which is no knowledge server in sophia.yaml`,
      );
    if (node.type.endsWith("sophiaTrigger")) {
      const urls = Object.values(config.flows).flatMap((flow) =>
        Object.values((flow as { sinks: Record<string, { webhook?: { url: string } }> }).sinks)
          .map((sink) => sink.webhook?.url)
          .filter((url) => url !== undefined),
      );
      assert.ok(
        urls.some((url) => url.endsWith(`/webhook/${p.path}`)),
        `trigger "${node.name}" listens on /webhook/${p.path}, but no flow's webhook sink posts there (${urls.join(", ")})`,
      );
    }
  }
}

/** Every flow part and built-in server of the config accepts its options (nothing connects). */
async function checkConfig(config: SophiaConfig, dir: string): Promise<void> {
  const unused = {} as DeadLetterStore;
  for (const flow of readFlows(config)) {
    const ctx: PartsContext = {
      config,
      configDir: dir,
      logger: silentLogger(),
      deadLetters: unused,
    };
    for (const part of flow.transforms) await buildTransform(part, ctx);
    for (const sink of flow.sinks) buildSink(flow, sink, ctx);
  }
  const builtins = builtinServers({
    config,
    cwd: dir,
    version: "test",
    embedder: () => createLocalEmbedder(),
  });
  for (const [name, server] of Object.entries(
    config.servers as Record<string, { builtin?: string; options?: Record<string, unknown> }>,
  )) {
    if (server.builtin === undefined) continue;
    const definition = builtins[server.builtin];
    assert.ok(definition, `server "${name}": no built-in server "${server.builtin}"`);
    definition.prepare({ name, options: server.options ?? {}, logger: silentLogger() });
  }
}

const nodes = sophiaNodes();

for (const example of readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) =>
  e.isDirectory(),
)) {
  const dir = join(EXAMPLES, example.name);
  test(`examples/${example.name}: sophia.yaml and workflow.json fit together`, async () => {
    const config = await loadConfig({ file: join(dir, "sophia.yaml"), cwd: dir, env: ENV });
    await checkConfig(config, dir);
    const workflow = JSON.parse(readFileSync(join(dir, "workflow.json"), "utf8")) as Workflow;
    checkWorkflow(workflow, config, nodes);
  });
}

test("the workflow check refuses a parameter the Sophia node does not have", async () => {
  const dir = join(EXAMPLES, "order-pipeline");
  const config = await loadConfig({ file: join(dir, "sophia.yaml"), cwd: dir, env: ENV });
  const workflow = JSON.parse(readFileSync(join(dir, "workflow.json"), "utf8")) as Workflow;
  const call = workflow.nodes.find((n) => n.type === "n8n-nodes-sophia.sophia");
  assert.ok(call);
  call.parameters.toolName = "query";
  assert.throws(() => checkWorkflow(workflow, config, nodes), /parameter "toolName"/);
  delete call.parameters.toolName;
  call.parameters.server = "nowhere";
  assert.throws(() => checkWorkflow(workflow, config, nodes), /server "nowhere"/);
});
