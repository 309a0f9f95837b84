/**
 * The templates in examples/ in a real n8n, with n8n-nodes-sophia installed as
 * a community package (the `n8n-nodes-sophia.*` types the templates use):
 * every workflow imports and activates with its credentials, and each trigger
 * is registered at the path its sophia.yaml posts to — a signed change event
 * starts an execution whose trigger output is that event. What the later
 * nodes reach (the example's own servers and databases) is not here: those
 * executions end in errors, which is not what this test checks.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../support/gateway-harness.ts";
import { N8n } from "../support/n8n.ts";
import { nodeOutput } from "../support/n8n-api.ts";
import { insertEventBody, signature } from "../support/n8n-flow.ts";
import { startKeyedGateway } from "../support/n8n-gateway.ts";
import { n8nSkip, packSophiaNodes, requireSophiaNodes } from "../support/n8n-install.ts";

const EXAMPLES = join(ROOT, "examples");

/** Workflow ids for the import (the templates carry none, as exported templates usually don't). */
const IDS = {
  "order-pipeline": "SophiaExample001",
  "agent-tools": "SophiaExample002",
  "support-tickets": "SophiaExample003",
} as const;
type Example = keyof typeof IDS;

async function template(name: Example): Promise<Record<string, unknown>> {
  const workflow = JSON.parse(await readFile(join(EXAMPLES, name, "workflow.json"), "utf8"));
  return { ...workflow, id: IDS[name] };
}

describe("examples/ workflows in a real n8n", { skip: n8nSkip() }, () => {
  const ordersSecret = `orders-${randomBytes(12).toString("hex")}`;
  const ticketsSecret = `tickets-${randomBytes(12).toString("hex")}`;
  let gateway: Awaited<ReturnType<typeof startKeyedGateway>> | undefined;
  let n8n: N8n;
  let dir = "";

  before(
    async () => {
      n8n = new N8n();
      requireSophiaNodes();
      dir = await mkdtemp(join(tmpdir(), "sophia-n8n-examples-"));
      const unpacked = await packSophiaNodes(dir);
      gateway = await startKeyedGateway();
      // The credential ids the templates reference, so that they import ready to run.
      await n8n.start({
        communityPackage: { name: "n8n-nodes-sophia", dir: unpacked },
        credentials: [
          {
            id: "sophia-gateway",
            name: "Sophia gateway",
            type: "sophiaApi",
            data: { url: gateway.url, apiKey: gateway.key },
          },
          {
            id: "orders-webhook-secret",
            name: "Orders flow secret",
            type: "sophiaFlowWebhookApi",
            data: { secret: ordersSecret },
          },
          {
            id: "tickets-webhook-secret",
            name: "Tickets flow secret",
            type: "sophiaFlowWebhookApi",
            data: { secret: ticketsSecret },
          },
          {
            id: "tickets-db",
            name: "Tickets database",
            type: "postgres",
            data: {
              host: "127.0.0.1",
              port: 5432,
              database: "postgres",
              user: "postgres",
              password: "",
            },
          },
        ],
        workflows: await Promise.all((Object.keys(IDS) as Example[]).map((name) => template(name))),
      });
    },
    { timeout: 300_000 },
  );

  after(async () => {
    await n8n?.stop();
    await gateway?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const [example, path, secret] of [
    ["order-pipeline", "new-order", () => ordersSecret],
    ["support-tickets", "new-ticket", () => ticketsSecret],
  ] as const) {
    test(`${example}: a signed change event on /webhook/${path} starts the workflow`, {
      timeout: 60_000,
    }, async () => {
      const body = insertEventBody(example === "order-pipeline" ? "orders" : "tickets", {
        id: 41,
        subject: "printer on fire",
      });
      const forged = await fetch(n8n.webhookUrl(path), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-sophia-signature": signature(
            "not-the-secret-at-all",
            body,
            Math.floor(Date.now() / 1000),
          ),
        },
        body,
      });
      assert.equal(
        forged.status,
        401,
        `the template's trigger must check signatures\n${n8n.logTail()}`,
      );
      const response = await fetch(n8n.webhookUrl(path), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-sophia-signature": signature(secret(), body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      assert.equal(response.status, 200, `${await response.text()}\n${n8n.logTail()}`);
      const [execution] = await n8n.api.finishedExecutions(IDS[example], 1);
      assert.ok(execution, "no execution of the template");
      const trigger = example === "order-pipeline" ? "New order" : "New ticket";
      const [event] = nodeOutput(execution, trigger);
      assert.equal((event?.after as { id?: number } | undefined)?.id, 41);
    });
  }

  test("agent-tools: the ask webhook is registered and runs the workflow", {
    timeout: 60_000,
  }, async () => {
    const response = await fetch(n8n.webhookUrl("ask"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "how do I reset my password?", customerId: 7 }),
    });
    await response.text();
    assert.notEqual(
      response.status,
      404,
      `the template's webhook is not registered\n${n8n.logTail()}`,
    );
    const [execution] = await n8n.api.finishedExecutions(IDS["agent-tools"], 1);
    assert.ok(execution, "no execution of the template");
    const [asked] = nodeOutput(execution, "Ask");
    assert.equal((asked?.body as { customerId?: number } | undefined)?.customerId, 7);
  });
});
