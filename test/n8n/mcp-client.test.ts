/**
 * n8n's own MCP Client node (@n8n/n8n-nodes-langchain.mcpClient v1) pointed at
 * Sophia's /mcp: n8n lists the gateway's tools and a webhook-triggered
 * workflow calls one, with the gateway's API key as a Bearer credential.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  bearerCredential,
  MCP_CLIENT_TYPE,
  mcpClientParameters,
  mcpWorkflow,
} from "../fixtures/n8n/mcp-workflow.ts";
import { N8n } from "../support/n8n.ts";
import { nodeOutput } from "../support/n8n-api.ts";
import { startKeyedGateway, triageAnswer } from "../support/n8n-gateway.ts";
import { n8nSkip } from "../support/n8n-install.ts";

const WORKFLOW_ID = "SophiaMcpClient1";
const CREDENTIAL_ID = "SophiaBearer0001";
const WEBHOOK_PATH = "sophia-mcp";
const TOOL = "tickets__triage";

describe("n8n's MCP Client node against Sophia's /mcp", { skip: n8nSkip() }, () => {
  let gateway: Awaited<ReturnType<typeof startKeyedGateway>> | undefined;
  let n8n: N8n;

  before(
    async () => {
      n8n = new N8n();
      gateway = await startKeyedGateway();
      await n8n.start({
        credentials: [bearerCredential(CREDENTIAL_ID, gateway.key)],
        workflows: [
          mcpWorkflow({
            id: WORKFLOW_ID,
            webhookPath: WEBHOOK_PATH,
            mcpUrl: `${gateway.url}/mcp`,
            tool: TOOL,
            credentialId: CREDENTIAL_ID,
          }),
        ],
      });
    },
    { timeout: 240_000 },
  );

  after(async () => {
    await n8n?.stop();
    await gateway?.stop();
  });

  test("n8n lists the gateway's tools through the MCP Client node", {
    timeout: 30_000,
  }, async () => {
    assert.ok(gateway);
    const listed = await n8n.api.rest<{ results: Array<{ name: string; value: string }> }>(
      "/dynamic-node-parameters/resource-locator-results",
      {
        path: "parameters.tool",
        nodeTypeAndVersion: { name: MCP_CLIENT_TYPE, version: 1 },
        methodName: "getTools",
        currentNodeParameters: mcpClientParameters(`${gateway.url}/mcp`, ""),
        credentials: { httpBearerAuth: { id: CREDENTIAL_ID, name: "Sophia gateway key" } },
      },
    );
    const values = listed.results.map((r) => r.value);
    assert.ok(values.includes(TOOL), `expected ${TOOL} among ${JSON.stringify(values)}`);
  });

  test("a webhook-triggered workflow calls a Sophia tool; the answer is in the execution data", {
    timeout: 60_000,
  }, async () => {
    const subject = `printer on fire ${Date.now() % 1000}`;
    const response = await fetch(n8n.webhookUrl(WEBHOOK_PATH), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: 42, subject }),
    });
    const answer = await response.text();
    assert.equal(response.status, 200, `webhook answered ${answer}\n${n8n.logTail()}`);
    // The Code node after the MCP Client ran in n8n's task runner.
    assert.deepEqual(JSON.parse(answer), { answer: triageAnswer(42, subject) });

    const [execution] = await n8n.api.finishedExecutions(WORKFLOW_ID, 1);
    assert.ok(execution);
    assert.equal(execution.status, "success", JSON.stringify(execution.data?.resultData?.error));
    const [item] = nodeOutput(execution, "MCP Client");
    assert.deepEqual(item?.content, [{ type: "text", text: triageAnswer(42, subject) }]);
  });
});
