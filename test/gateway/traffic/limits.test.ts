import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, openSession, raw, startSecured } from "../security/support.ts";
import { TRAFFIC_FIXTURE, toolText } from "./support.ts";

describe("rate limits in memory (real gateway, stdio upstream)", () => {
  let gw: Awaited<ReturnType<typeof startSecured>>;
  let session: string;

  before(async () => {
    gw = await startSecured(
      {
        limits: {
          rules: [
            { name: "lookups", per: ["subject", "tool"], tools: "lookup", rate: "2/min", burst: 2 },
            { name: "daily", per: ["subject"], tools: "write", quota: "1/day" },
          ],
        },
      },
      { t: TRAFFIC_FIXTURE },
    );
    session = await openSession(`${gw.url}/mcp`);
  });
  after(() => gw?.stop());

  const lookup = (key: string) =>
    call(`${gw.url}/mcp`, session, "tools/call", { name: "t__lookup", arguments: { key } });

  test("a burst passes, the next call gets -32029 with retryAfterMs; other tools are not limited", async () => {
    assert.match(toolText((await lookup("a")).json()), /^a#/);
    assert.match(toolText((await lookup("b")).json()), /^b#/);
    const refused = (await lookup("c")).json();
    assert.equal(refused.error.code, -32029);
    assert.equal(refused.error.data.rule, "lookups");
    // 2 per minute: the next token comes within 30 s.
    assert.ok(
      refused.error.data.retryAfterMs > 20_000 && refused.error.data.retryAfterMs <= 30_000,
    );
    assert.match(refused.error.message, /Rate limited: tool "t__lookup" exceeds limit "lookups"/);
    const meta = await call(`${gw.url}/mcp`, session, "tools/call", {
      name: "t__meta",
      arguments: {},
    });
    assert.ok(meta.json().result, "a tool no rule names is never limited");
  });

  test("the REST façade answers 429 with Retry-After in seconds", async () => {
    const body = JSON.stringify({ key: "x" });
    const headers = { "content-type": "application/json" };
    const first = await raw(`${gw.url}/v1/tools/t/write`, { method: "POST", headers, body });
    assert.equal(first.status, 200);
    const second = await raw(`${gw.url}/v1/tools/t/write`, { method: "POST", headers, body });
    assert.equal(second.status, 429);
    assert.equal(second.json().error.code, "RATE_LIMITED");
    const retryAfter = Number(second.headers["retry-after"]);
    assert.ok(retryAfter >= 1 && retryAfter <= 86_400, `Retry-After ${retryAfter}`);
  });

  test("refusals are counted in /metrics", async () => {
    const text = (await raw(`${gw.url}/metrics`)).text;
    assert.match(text, /sophia_rate_limited_total\{rule="lookups",server="t"\} 1/);
    assert.match(text, /sophia_rate_limited_total\{rule="daily",server="t"\} 1/);
  });
});
