import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signWebhookBody } from "../../src/flow/sinks/index.ts";
import { loadTrigger } from "./dist.ts";
import { type ContextOptions, webhookContext } from "./stand-in.ts";

const trigger = loadTrigger();
const SECRET = "flow-webhook-secret-0123";
const EVENTS = [
  {
    id: "public.orders:16/B374D848:0",
    op: "insert",
    schema: "public",
    table: "orders",
    key: { id: 7 },
    before: null,
    after: { id: 7, status: "new", note: "café ✓" },
    commitLsn: "16/B374D848",
    seq: 0,
    txId: 812,
    commitTime: "2026-11-27T18:00:00.000Z",
  },
  {
    id: "public.orders:16/B374D848:1",
    op: "update",
    schema: "public",
    table: "orders",
    key: { id: 8 },
    before: null,
    after: { id: 8, status: "paid" },
    commitLsn: "16/B374D848",
    seq: 1,
    txId: 812,
    commitTime: "2026-11-27T18:00:00.000Z",
  },
];

/** A request as the flow's webhook sink sends it: signed now (or at `t`) with `secret`. */
function signed(body: string, options: { secret?: string; t?: number } = {}) {
  const t = options.t ?? Math.floor(Date.now() / 1000);
  return {
    rawBody: Buffer.from(body),
    headers: {
      "content-type": "application/json",
      "x-sophia-flow": "orders-to-n8n",
      "idempotency-key": `${EVENTS[0]!.id}..${EVENTS[1]!.id}`,
      "x-sophia-signature": signWebhookBody(options.secret ?? SECRET, body, t),
    },
  };
}

function hook(request: ReturnType<typeof signed>, parameters: ContextOptions["parameters"] = {}) {
  return webhookContext(
    {
      credentials: { sophiaFlowWebhookApi: { secret: SECRET } },
      parameters: { path: "orders", ...parameters },
    },
    request,
  );
}

describe("Sophia Trigger webhook() with a stand-in n8n request", () => {
  test("the description: POST on the path parameter, the webhook credential, no inputs", () => {
    assert.equal(trigger.description.name, "sophiaTrigger");
    assert.deepEqual(trigger.description.inputs, []);
    const [webhook] = trigger.description.webhooks;
    assert.equal(webhook?.httpMethod, "POST");
    assert.equal(webhook?.path, '={{$parameter["path"]}}');
  });

  test("a good request: 200 by n8n, one item per change event, exactly as sent", async () => {
    // Pretty-printed on purpose: the signature covers these exact bytes, not a re-serialisation.
    const body = JSON.stringify(EVENTS, null, 2);
    const ctx = hook(signed(body));
    const result = await trigger.webhook.call(ctx);
    assert.equal(ctx.answer.status, undefined, "the node did not answer an error itself");
    assert.deepEqual(result.webhookResponse, { received: 2 });
    assert.deepEqual(
      result.workflowData?.[0]?.map((item) => item.json),
      EVENTS,
    );
  });

  test("one item per request: the flow, the idempotency key and every event", async () => {
    const request = signed(JSON.stringify(EVENTS));
    const result = await trigger.webhook.call(hook(request, { emit: "request" }));
    assert.deepEqual(result.workflowData, [
      [
        {
          json: {
            flow: "orders-to-n8n",
            idempotencyKey: request.headers["idempotency-key"],
            events: EVENTS,
          },
        },
      ],
    ]);
  });

  test("a bad signature, a wrong secret, a stale or missing one: 401 and no items", async () => {
    const body = JSON.stringify(EVENTS);
    const forged = signed(body);
    forged.rawBody = Buffer.from(body.replace('"paid"', '"refunded"'));
    const unsigned = signed(body);
    unsigned.headers["x-sophia-signature"] = "";
    const cases = [
      [forged, /does not match/],
      [signed(body, { secret: "another-secret-value" }), /does not match/],
      [signed(body, { t: Math.floor(Date.now() / 1000) - 3600 }), /replay/],
      [unsigned, /no x-sophia-signature header/],
    ] as const;
    for (const [request, pattern] of cases) {
      const ctx = hook(request);
      const result = await trigger.webhook.call(ctx);
      assert.equal(ctx.answer.status, 401);
      const { error } = ctx.answer.body as { error: { code: string; message: string } };
      assert.equal(error.code, "SIGNATURE_INVALID");
      assert.match(error.message, pattern);
      assert.deepEqual(result, { noWebhookResponse: true }, "no workflow run");
      assert.equal(ctx.warnings.length, 1);
      assert.ok(!ctx.warnings[0]!.includes(SECRET), "the secret is never logged");
    }
  });

  test("the tolerance option narrows the replay window", async () => {
    const request = signed(JSON.stringify(EVENTS), { t: Math.floor(Date.now() / 1000) - 120 });
    const strict = hook(request, { options: { toleranceSeconds: 60 } });
    await trigger.webhook.call(strict);
    assert.equal(strict.answer.status, 401);
    const lenient = hook(request);
    assert.equal((await trigger.webhook.call(lenient)).workflowData?.[0]?.length, 2);
  });

  test("a signed body that is not an array of change events: 400, no items", async () => {
    for (const [body, pattern] of [
      ['{"op":"insert"}', /JSON array/],
      ["[1]", /event 0 is not a JSON object/],
      ['[{"op":"upsert","table":"t"}]', /event 0 has op "upsert"/],
      ["not json", /not valid JSON/],
    ] as const) {
      const ctx = hook(signed(body));
      const result = await trigger.webhook.call(ctx);
      assert.equal(ctx.answer.status, 400, body);
      assert.match((ctx.answer.body as { error: { message: string } }).error.message, pattern);
      assert.equal(result.workflowData, undefined);
    }
  });

  test("an empty batch is acknowledged without starting the workflow", async () => {
    const result = await trigger.webhook.call(hook(signed("[]")));
    assert.deepEqual(result, { webhookResponse: { received: 0 } });
  });

  test("the credential test refuses a secret the flow's sink would refuse (under 16 characters)", async () => {
    const check = trigger.methods.credentialTest.sophiaFlowWebhookSecret!;
    assert.equal((await check.call({}, { data: { secret: "short" } })).status, "Error");
    assert.equal((await check.call({}, { data: { secret: SECRET } })).status, "OK");
  });
});
