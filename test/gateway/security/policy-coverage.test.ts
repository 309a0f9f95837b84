import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateApiKey } from "../../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../../src/gateway/auth/key-store.ts";
import { ROOT, stdioEntry } from "../../support/gateway-harness.ts";
import { call, openSession, startSecured } from "./support.ts";

const MEMO = stdioEntry(join(ROOT, "test/gateway/security/fixtures/memo-server.ts"));

/** Lets the upstream's stderr lines reach the captured log. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe("policies cover resources/subscribe and completion/complete (real gateway, stdio upstream)", () => {
  let dir: string;
  let gw: Awaited<ReturnType<typeof startSecured>>;
  let headers: Record<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-policy-cov-"));
    const store = new KeyFile(join(dir, "keys.json"));
    const made = generateApiKey({ name: "reader" });
    await store.add(made.record);
    headers = { authorization: `Bearer ${made.key}` };
    gw = await startSecured(
      {
        auth: { apiKeys: { file: store.path } },
        policies: {
          rules: [
            { name: "no-secrets", effect: "deny", servers: "memo", names: ["memo://secret/*"] },
            { name: "no-admin", effect: "deny", servers: "memo", names: ["admin_*"] },
            { name: "rest", effect: "allow", servers: "memo" },
          ],
        },
      },
      { memo: MEMO },
    );
  });
  after(async () => {
    await gw?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [endpoint, prompt] of [
    ["/mcp", (name: string) => `memo__${name}`],
    ["/servers/memo/mcp", (name: string) => name],
  ] as const) {
    test(`${endpoint}: a denied resource cannot be subscribed; an allowed one can`, async () => {
      const url = `${gw.url}${endpoint}`;
      const session = await openSession(url, headers);
      const denied = await call(
        url,
        session,
        "resources/subscribe",
        { uri: "memo://secret/key" },
        headers,
      );
      assert.equal(denied.json().error?.code, -32030, denied.text);
      assert.match(denied.json().error.message, /resource "memo:\/\/secret\/key".*no-secrets/);
      const sneaky = await call(
        url,
        session,
        "resources/subscribe",
        { uri: "memo://public/../secret/key" },
        headers,
      );
      assert.ok(sneaky.json().error, `dot segments must not slip through: ${sneaky.text}`);
      const allowed = await call(
        url,
        session,
        "resources/subscribe",
        { uri: "memo://public/note" },
        headers,
      );
      assert.deepEqual(allowed.json().result, {}, allowed.text);
      await settle();
      assert.doesNotMatch(gw.logs(), /memo saw subscribe memo:\/\/secret/);
      assert.match(gw.logs(), /memo saw subscribe memo:\/\/public\/note/);
    });

    test(`${endpoint}: completion for a denied prompt or resource template is refused`, async () => {
      const url = `${gw.url}${endpoint}`;
      const session = await openSession(url, headers);
      const complete = (ref: Record<string, string>) =>
        call(
          url,
          session,
          "completion/complete",
          { ref, argument: { name: "who", value: "a" } },
          headers,
        );
      const deniedPrompt = await complete({ type: "ref/prompt", name: prompt("admin_report") });
      assert.equal(deniedPrompt.json().error?.code, -32030, deniedPrompt.text);
      assert.match(deniedPrompt.json().error.message, /prompt ".*admin_report".*no-admin/);
      const okPrompt = await complete({ type: "ref/prompt", name: prompt("greet") });
      assert.deepEqual(okPrompt.json().result?.completion?.values, ["ada", "alan"], okPrompt.text);

      const template = (area: string) =>
        call(
          url,
          session,
          "completion/complete",
          {
            ref: { type: "ref/resource", uri: `memo://${area}/notes/{name}` },
            argument: { name: "name", value: "a" },
          },
          headers,
        );
      const deniedTemplate = await template("secret");
      assert.equal(deniedTemplate.json().error?.code, -32030, deniedTemplate.text);
      const okTemplate = await template("public");
      assert.deepEqual(okTemplate.json().result?.completion?.values, ["alpha"], okTemplate.text);
      await settle();
      assert.doesNotMatch(gw.logs(), /memo saw completion (prompt admin_report|memo:\/\/secret)/);
      assert.match(gw.logs(), /memo saw completion prompt greet/);
    });
  }
});
