import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { API_KEY, type FakeN8n, startFakeN8n } from "./fake-n8n.ts";
import { type BuiltinGateway, callJson, startBuiltinGateway } from "./support.ts";

let n8n: FakeN8n;
let served: BuiltinGateway;

before(async () => {
  n8n = await startFakeN8n();
  served = await startBuiltinGateway({
    workflows: {
      builtin: "workflows",
      options: {
        url: n8n.url,
        apiKey: API_KEY,
        timeout: "5s",
        webhooks: {
          lookup: { path: "lookup", method: "GET", description: "Find a thing" },
          broken: { url: `${n8n.url}/webhook/broken` },
        },
      },
    },
  });
});

after(async () => {
  await served?.stop();
  await n8n?.close();
});

describe("workflows built-in against a fake n8n", () => {
  test("list_workflows: configured webhooks and n8n's active workflows over every page", async () => {
    const answer = await callJson(served.client, "workflows__list_workflows", {});
    assert.equal(answer.isError, false, answer.text);
    const listed = (
      answer.value as { workflows: { name: string; id: string | null; runnable: boolean }[] }
    ).workflows;
    assert.deepEqual(
      listed.map((w) => [w.name, w.id, w.runnable]),
      [
        ["lookup", null, true],
        ["broken", null, true],
        ["Greeter", "w1", true],
        ["Cron only", "w3", false],
      ],
    );
    assert.ok(n8n.requests.some((r) => r.includes("cursor=page-2")));
  });

  test("run_workflow by name and by id posts the input and returns the answer", async () => {
    for (const workflow of ["Greeter", "w1"]) {
      const answer = await callJson(served.client, "workflows__run_workflow", {
        workflow,
        input: { name: "Ada" },
      });
      assert.equal(answer.isError, false, answer.text);
      assert.deepEqual(answer.value, {
        workflow,
        status: 200,
        response: { greeting: "hello Ada" },
      });
    }
  });

  test("a configured GET webhook gets the input as query parameters", async () => {
    const answer = await callJson(served.client, "workflows__run_workflow", {
      workflow: "lookup",
      input: { q: "invoices" },
    });
    assert.deepEqual(answer.value, {
      workflow: "lookup",
      status: 200,
      response: { found: "invoices" },
    });
  });

  test("inactive, unknown and failing workflows are clear errors", async () => {
    const inactive = await callJson(served.client, "workflows__run_workflow", {
      workflow: "Sleeping",
    });
    assert.equal(inactive.isError, true);
    assert.match(inactive.text, /activate the workflow/);
    const unknown = await callJson(served.client, "workflows__run_workflow", { workflow: "nope" });
    assert.match(unknown.text, /no workflow "nope"/);
    const broken = await callJson(served.client, "workflows__run_workflow", { workflow: "broken" });
    assert.equal(broken.isError, true);
    assert.match(broken.text, /answered 500/);
  });
});

test("workflows: a wrong API key is reported as such (fake n8n)", async () => {
  const fake = await startFakeN8n();
  const wrong = await startBuiltinGateway({
    workflows: { builtin: "workflows", options: { url: fake.url, apiKey: "wrong" } },
  });
  try {
    const answer = await callJson(wrong.client, "workflows__list_workflows", {});
    assert.equal(answer.isError, true);
    assert.match(answer.text, /answered 401.*API key was refused/);
  } finally {
    await wrong.stop();
    await fake.close();
  }
});

test("workflows: options without apiKey or webhooks fail at start with the place in the file", async () => {
  await assert.rejects(
    startBuiltinGateway({
      workflows: { builtin: "workflows", options: { url: "http://127.0.0.1:1" } },
    }),
    (error: Error) =>
      /servers\.workflows\.options.*apiKey/s.test(`${error.message} ${JSON.stringify(error)}`),
  );
});
