import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateApiKey } from "../../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../../src/gateway/auth/key-store.ts";
import { call, openSession, raw, rpc, startSecured } from "./support.ts";

describe("API keys and policies end to end (real gateway, stdio upstream)", () => {
  let dir: string;
  let gw: Awaited<ReturnType<typeof startSecured>>;
  let store: KeyFile;
  const keys: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-keys-"));
    store = new KeyFile(join(dir, "keys.json"));
    for (const [name, roles] of [
      ["alice", ["admin"]],
      ["bob", []],
      ["carol", []],
    ] as const) {
      const made = generateApiKey({ name, roles: [...roles] });
      await store.add(made.record);
      keys[name] = made.key;
    }
    gw = await startSecured({
      auth: { apiKeys: { file: store.path } },
      policies: {
        rules: [
          { name: "admins", effect: "allow", servers: "fx", roles: ["admin"] },
          { name: "no-env", effect: "deny", servers: "fx", names: ["env"] },
          {
            name: "echo-short",
            effect: "allow",
            servers: "fx",
            names: ["echo", "whoami"],
            arguments: { text: { maxLength: 10 } },
          },
        ],
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const bearer = (name: string) => ({ authorization: `Bearer ${keys[name]}` });

  test("the key file is written with mode 0600", async () => {
    assert.equal((await stat(store.path)).mode & 0o777, 0o600);
  });

  test("no credential: 401 with a resource_metadata challenge; health stays open", async () => {
    const res = await rpc(`${gw.url}/mcp`, { jsonrpc: "2.0", id: 1, method: "ping" });
    assert.equal(res.status, 401);
    assert.match(
      String(res.headers["www-authenticate"]),
      /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
    assert.equal(res.json().error.code, -32031);
    assert.equal((await raw(`${gw.url}/healthz`)).status, 200);
    assert.equal((await raw(`${gw.url}/v1/tools`)).status, 401);
  });

  test("a wrong or malformed key: 401 invalid_token", async () => {
    const forged = `${keys.bob!.slice(0, -4)}AAAA`;
    for (const value of [forged, "sk_sophia_nope", "hello"]) {
      const res = await rpc(
        `${gw.url}/mcp`,
        { jsonrpc: "2.0", id: 1, method: "ping" },
        { authorization: `Bearer ${value}` },
      );
      assert.equal(res.status, 401, value);
      assert.match(String(res.headers["www-authenticate"]), /error="invalid_token"/);
    }
  });

  test("Bearer and X-API-Key both authenticate", async () => {
    const a = await openSession(`${gw.url}/mcp`, bearer("bob"));
    const b = await openSession(`${gw.url}/mcp`, { "x-api-key": keys.bob! });
    assert.ok(a && b);
  });

  test("tools/list shows each caller only what it may call", async () => {
    const names = async (who: string) => {
      const s = await openSession(`${gw.url}/mcp`, bearer(who));
      const res = await call(`${gw.url}/mcp`, s, "tools/list", {}, bearer(who));
      return (res.json().result.tools as Array<{ name: string }>).map((t) => t.name).sort();
    };
    assert.deepEqual(await names("bob"), ["fx__echo", "fx__whoami"]);
    const all = await names("alice");
    assert.ok(all.includes("fx__env") && all.includes("fx__stats"), all.join());
    const rest = await raw(`${gw.url}/v1/tools`, { headers: bearer("bob") });
    assert.deepEqual((rest.json().tools as Array<{ name: string }>).map((t) => t.name).sort(), [
      "echo",
      "whoami",
    ]);
  });

  test("a denied call is a JSON-RPC error naming the rule, on /mcp, /servers/fx/mcp and REST", async () => {
    const s = await openSession(`${gw.url}/mcp`, bearer("bob"));
    const denied = (
      await call(
        `${gw.url}/mcp`,
        s,
        "tools/call",
        { name: "fx__env", arguments: { name: "HOME" } },
        bearer("bob"),
      )
    ).json();
    assert.equal(denied.error.code, -32030);
    assert.match(denied.error.message, /policy rule "no-env"/);
    assert.doesNotMatch(denied.error.message, /stats|whoami/);
    const long = (
      await call(
        `${gw.url}/mcp`,
        s,
        "tools/call",
        { name: "fx__echo", arguments: { text: "x".repeat(11) } },
        bearer("bob"),
      )
    ).json();
    assert.match(long.error.message, /argument "text" is longer than 10/);
    const ok = (
      await call(
        `${gw.url}/mcp`,
        s,
        "tools/call",
        { name: "fx__echo", arguments: { text: "hi" } },
        bearer("bob"),
      )
    ).json();
    assert.match(JSON.stringify(ok.result), /hi/);
    const one = await openSession(`${gw.url}/servers/fx/mcp`, bearer("bob"));
    const direct = (
      await call(
        `${gw.url}/servers/fx/mcp`,
        one,
        "tools/call",
        { name: "env", arguments: { name: "HOME" } },
        bearer("bob"),
      )
    ).json();
    assert.equal(direct.error.code, -32030);
    const rest = await raw(`${gw.url}/v1/tools/fx/env`, {
      method: "POST",
      headers: { ...bearer("bob"), "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(rest.status, 403);
    const admin = await openSession(`${gw.url}/mcp`, bearer("alice"));
    const allowed = (
      await call(
        `${gw.url}/mcp`,
        admin,
        "tools/call",
        { name: "fx__env", arguments: { name: "NOPE" } },
        bearer("alice"),
      )
    ).json();
    assert.ok(allowed.result, JSON.stringify(allowed));
  });

  test("name tricks cannot reach a denied tool", async () => {
    const s = await openSession(`${gw.url}/mcp`, bearer("bob"));
    for (const name of [
      "fx__ENV",
      "fx___env",
      "fx__еnv",
      "fx__env\u200b",
      "ｆｘ__ｅｎｖ",
      "fx%5f%5fenv",
    ]) {
      const res = (
        await call(
          `${gw.url}/mcp`,
          s,
          "tools/call",
          { name, arguments: { name: "HOME" } },
          bearer("bob"),
        )
      ).json();
      assert.ok(res.error, `${name} gave ${JSON.stringify(res)}`);
    }
    const one = await openSession(`${gw.url}/servers/fx/mcp`, bearer("bob"));
    for (const name of ["ENV", "Env", "ｅｎｖ", "еnv", "env\u0000"]) {
      const res = (
        await call(
          `${gw.url}/servers/fx/mcp`,
          one,
          "tools/call",
          { name, arguments: { name: "HOME" } },
          bearer("bob"),
        )
      ).json();
      assert.ok(res.error, `${name} gave ${JSON.stringify(res)}`);
    }
  });

  test("a session belongs to the caller that opened it (no hijack)", async () => {
    const s = await openSession(`${gw.url}/mcp`, bearer("bob"));
    const stolen = await call(`${gw.url}/mcp`, s, "ping", {}, bearer("alice"));
    assert.equal(stolen.status, 403);
    assert.equal(stolen.json().error.code, -32032);
    assert.equal((await call(`${gw.url}/mcp`, s, "ping", {}, bearer("bob"))).status, 200);
  });

  test("a key revoked while its session is open is refused within 2 s (a file watch: ms)", async () => {
    const s = await openSession(`${gw.url}/mcp`, bearer("carol"));
    assert.equal((await call(`${gw.url}/mcp`, s, "ping", {}, bearer("carol"))).status, 200);
    await new KeyFile(store.path).revoke("carol");
    const revokedAt = Date.now();
    let after = await call(`${gw.url}/mcp`, s, "ping", {}, bearer("carol"));
    // The gateway notices the file change through a watch, or at worst its periodic re-check.
    for (let i = 0; i < 100 && after.status !== 401 && Date.now() - revokedAt < 2000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await call(`${gw.url}/mcp`, s, "ping", {}, bearer("carol"));
    }
    assert.equal(after.status, 401);
    assert.match(String(after.headers["www-authenticate"]), /revoked/);
  });

  test("no key or secret ever reaches the log", () => {
    const logs = gw.logs();
    assert.ok(logs.length > 0, "the gateway logged something");
    for (const key of Object.values(keys)) {
      assert.ok(!logs.includes(key), "full key in logs");
      assert.ok(!logs.includes(key.slice(23)), "secret part in logs");
    }
  });
});
