/**
 * The workflow loop end to end, with every part real: a row changes in
 * PostgreSQL → `sophia flow run` (one-line form) POSTs the signed change to the
 * n8n Sophia Trigger → the workflow's Sophia node calls a tool through the
 * Sophia gateway (API key on) → the tool's answer, computed from the row, is
 * in the execution data. Forged and replayed requests get 401 and start nothing.
 * In the same n8n, webhook-driven workflows show how gateway errors surface in
 * the Sophia node, with and without "continue on fail".
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { errorWorkflow } from "../fixtures/n8n/error-workflow.ts";
import {
  callTriageParameters,
  flowWebhookCredential,
  flowWorkflow,
  SOPHIA_TYPE,
  sophiaApiCredential,
} from "../fixtures/n8n/flow-workflow.ts";
import { N8n } from "../support/n8n.ts";
import { executionError, type N8nExecution, nodeOutput } from "../support/n8n-api.ts";
import { insertEventBody, signature, TicketFlow } from "../support/n8n-flow.ts";
import { startKeyedGateway, triageAnswer } from "../support/n8n-gateway.ts";
import { n8nSkip, requireSophiaNodes } from "../support/n8n-install.ts";
import { until } from "../support/poll.ts";

const WORKFLOW_ID = "SophiaFlowLoop01";
const API_CREDENTIAL_ID = "SophiaGateway001";
const SECRET_CREDENTIAL_ID = "SophiaFlowSecr01";
const PATH = "sophia-flow-tickets";
const ERRORS_CONTINUE = { id: "SophiaErrorsCont", path: "sophia-errors-continue" };
const ERRORS_STOP = { id: "SophiaErrorsStop", path: "sophia-errors-stop" };

describe("n8n workflow loop: PostgreSQL → sophia flow → Sophia Trigger → Sophia tool", {
  skip: n8nSkip(),
}, () => {
  const secret = `n8n-e2e-${randomBytes(12).toString("hex")}`;
  const tickets = new TicketFlow();
  let gateway: Awaited<ReturnType<typeof startKeyedGateway>> | undefined;
  let n8n: N8n;

  before(
    async () => {
      n8n = new N8n();
      const dist = requireSophiaNodes();
      gateway = await startKeyedGateway();
      await tickets.createTable();
      await n8n.start({
        customExtensions: dist,
        credentials: [
          sophiaApiCredential(API_CREDENTIAL_ID, gateway.url, gateway.key),
          flowWebhookCredential(SECRET_CREDENTIAL_ID, secret),
        ],
        workflows: [
          flowWorkflow({
            id: WORKFLOW_ID,
            path: PATH,
            apiCredentialId: API_CREDENTIAL_ID,
            secretCredentialId: SECRET_CREDENTIAL_ID,
          }),
          errorWorkflow({
            ...ERRORS_CONTINUE,
            apiCredentialId: API_CREDENTIAL_ID,
            continueOnFail: true,
          }),
          errorWorkflow({
            ...ERRORS_STOP,
            apiCredentialId: API_CREDENTIAL_ID,
            continueOnFail: false,
          }),
        ],
      });
      await tickets.start(n8n.webhookUrl(PATH), secret);
    },
    { timeout: 240_000 },
  );

  after(async () => {
    await tickets.cleanup();
    await n8n?.stop();
    await gateway?.stop();
  });

  /** Waits for the workflow's `count`-th finished execution and checks it succeeded. */
  async function nth(count: number): Promise<N8nExecution> {
    const gaveUp = () => {
      const stderr = tickets.flow?.stderr ?? "";
      return stderr.includes("dead letter") ? "the flow stored a dead letter" : undefined;
    };
    const done = await n8n.api
      .finishedExecutions(WORKFLOW_ID, count, 45_000, gaveUp)
      .catch((error: Error) => {
        throw new Error(`${error.message}\nflow stderr: ${tickets.flow?.stderr}\n${n8n.logTail()}`);
      });
    const newest = done[0];
    assert.ok(newest);
    assert.equal(newest.status, "success", executionError(newest) ?? "");
    return newest;
  }

  test("the Sophia node loads its tool list from the gateway", { timeout: 30_000 }, async () => {
    const options = await n8n.api.rest<Array<{ name: string; value: string }>>(
      "/dynamic-node-parameters/options",
      {
        path: "parameters.tool",
        nodeTypeAndVersion: { name: SOPHIA_TYPE, version: 1 },
        methodName: "getTools",
        currentNodeParameters: callTriageParameters(),
        credentials: { sophiaApi: { id: API_CREDENTIAL_ID, name: "Sophia gateway" } },
      },
    );
    assert.deepEqual(
      options.map((o) => o.value),
      ["triage"],
    );
  });

  test("an insert reaches the workflow signed; the tool's answer is in the execution", {
    timeout: 60_000,
  }, async () => {
    await tickets.db.query(`INSERT INTO public.${tickets.name} (id, subject) VALUES (7, $1)`, [
      "printer on fire",
    ]);
    const execution = await nth(1);
    const [event] = nodeOutput(execution, "Sophia Trigger");
    assert.equal(event?.op, "insert");
    assert.equal(event?.table, tickets.name);
    assert.deepEqual(event?.key, { id: 7 });
    assert.deepEqual(event?.after, { id: 7, subject: "printer on fire" });
    const [result] = nodeOutput(execution, "Triage");
    assert.equal(result?.text, triageAnswer(7, "printer on fire"));
    assert.equal(result?.isError ?? false, false);
  });

  test("an update runs the workflow again with the new row", { timeout: 60_000 }, async () => {
    await tickets.db.query(`UPDATE public.${tickets.name} SET subject = $1 WHERE id = 7`, [
      "printer fixed",
    ]);
    const execution = await nth(2);
    const [event] = nodeOutput(execution, "Sophia Trigger");
    assert.equal(event?.op, "update");
    const [result] = nodeOutput(execution, "Triage");
    assert.equal(result?.text, triageAnswer(7, "printer fixed"));
  });

  test("a transaction of three inserts: each row is an item and reaches the tool, in order", {
    timeout: 60_000,
  }, async () => {
    const seen = new Set((await n8n.api.executions(WORKFLOW_ID)).map((e) => e.id));
    const rows = [
      { id: 10, subject: "disk full" },
      { id: 11, subject: "mail bounces" },
      { id: 12, subject: "badge reader" },
    ];
    await tickets.db.query("BEGIN");
    for (const row of rows) {
      await tickets.db.query(`INSERT INTO public.${tickets.name} (id, subject) VALUES ($1, $2)`, [
        row.id,
        row.subject,
      ]);
    }
    await tickets.db.query("COMMIT");
    // The flow may deliver the transaction in one request or several: count items, not executions.
    const fresh = await until(
      "the three inserts in executions of the workflow",
      async () => {
        const done = await n8n.api.finishedExecutions(WORKFLOW_ID, seen.size + 1);
        const mine = done.filter((e) => !seen.has(e.id)).reverse();
        const items = mine.flatMap((e) => nodeOutput(e, "Sophia Trigger"));
        return items.length >= rows.length ? mine : undefined;
      },
      { timeoutMs: 45_000, everyMs: 200 },
    );
    for (const execution of fresh) {
      assert.equal(execution.status, "success", executionError(execution) ?? "");
    }
    assert.deepEqual(
      fresh.flatMap((e) => nodeOutput(e, "Sophia Trigger")).map((event) => event.after),
      rows,
    );
    assert.deepEqual(
      fresh.flatMap((e) => nodeOutput(e, "Triage")).map((result) => result.text),
      rows.map((row) => triageAnswer(row.id, row.subject)),
    );
  });

  test("forged and replayed requests get 401 and start no execution", {
    timeout: 30_000,
  }, async () => {
    const before = (await n8n.api.executions(WORKFLOW_ID)).length;
    const body = insertEventBody(tickets.name, { id: 99, subject: "forged" });
    const now = Math.floor(Date.now() / 1000);
    const attempts = {
      "wrong secret": signature(`${secret}-not`, body, now),
      "replayed (signed an hour ago)": signature(secret, body, now - 3600),
      "no signature": undefined,
    };
    for (const [what, header] of Object.entries(attempts)) {
      const response = await fetch(n8n.webhookUrl(PATH), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(header === undefined ? {} : { "x-sophia-signature": header }),
        },
        body,
      });
      assert.equal(response.status, 401, `${what}: ${await response.text()}`);
    }
    // The same body signed correctly is accepted: the 401s above were the signature's doing.
    const good = await fetch(n8n.webhookUrl(PATH), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-sophia-signature": signature(secret, body, now),
      },
      body,
    });
    assert.equal(good.status, 200, await good.text());
    const execution = await nth(before + 1);
    assert.deepEqual(nodeOutput(execution, "Sophia Trigger")[0]?.after, {
      id: 99,
      subject: "forged",
    });
    // Only the good request ran the workflow.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const all = await until("executions to settle", async () => {
      const list = await n8n.api.executions(WORKFLOW_ID);
      return list.every((e) => e.status !== "running") ? list : undefined;
    });
    assert.equal(all.length, before + 1);
  });

  /** POSTs `{ server, tool, args }` to one of the error workflows; returns status and body. */
  async function callThrough(path: string, server: string, tool: string, args: unknown) {
    const response = await fetch(n8n.webhookUrl(path), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ server, tool, args }),
    });
    return { status: response.status, text: await response.text() };
  }

  test("with continue on fail, gateway errors come out as items naming code and status", {
    timeout: 60_000,
  }, async () => {
    const unknown = await callThrough(ERRORS_CONTINUE.path, "nowhere", "triage", {});
    assert.equal(unknown.status, 200, unknown.text);
    const unknownItem = JSON.parse(unknown.text);
    assert.equal(unknownItem.httpCode, "404", unknown.text);
    assert.match(unknownItem.error, /no server named "nowhere".*UNKNOWN_SERVER, HTTP 404/);

    const invalid = await callThrough(ERRORS_CONTINUE.path, "tickets", "triage", { id: "seven" });
    assert.equal(invalid.status, 200, invalid.text);
    const invalidItem = JSON.parse(invalid.text);
    assert.equal(invalidItem.httpCode, "422", invalid.text);
    assert.match(invalidItem.error, /Input validation error.*TOOL_ERROR, HTTP 422/s);
    const done = await n8n.api.finishedExecutions(ERRORS_CONTINUE.id, 2);
    assert.deepEqual(
      done.map((e) => e.status),
      ["success", "success"],
    );
  });

  test("without it, the execution fails with the gateway's message", {
    timeout: 60_000,
  }, async () => {
    const stopped = await callThrough(ERRORS_STOP.path, "tickets", "nope", {});
    assert.equal(stopped.status, 500, stopped.text);
    const [execution] = await n8n.api.finishedExecutions(ERRORS_STOP.id, 1);
    assert.ok(execution);
    assert.equal(execution.status, "error");
    // An unknown tool of a known server: the gateway's catalog rules it out before any call.
    assert.match(
      executionError(execution) ?? "",
      /server "tickets" has no tool named "nope".*\(UNKNOWN_TOOL, HTTP 404\)/,
    );
  });
});
