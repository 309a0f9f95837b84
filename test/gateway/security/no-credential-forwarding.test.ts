import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateApiKey } from "../../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../../src/gateway/auth/key-store.ts";
import { type RecordingUpstream, startRecordingUpstream } from "./fixtures/recording-upstream.ts";
import { call, openSession, raw, startSecured } from "./support.ts";

describe("the client's credentials never reach an upstream (HTTP upstream records headers)", () => {
  let dir: string;
  let recorder: RecordingUpstream;
  let gw: Awaited<ReturnType<typeof startSecured>>;
  let key: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-fwd-"));
    const store = new KeyFile(join(dir, "keys.json"));
    const made = generateApiKey({ name: "client" });
    await store.add(made.record);
    key = made.key;
    recorder = await startRecordingUpstream();
    gw = await startSecured(
      { auth: { apiKeys: { file: store.path } } },
      { rec: { url: recorder.url, headers: { "x-upstream-token": "configured-for-rec" } } },
    );
  });
  after(async () => {
    await gw?.stop();
    await recorder?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("Authorization, X-API-Key and cookies of the client are not forwarded; configured headers are", async () => {
    const clientHeaders = {
      authorization: `Bearer ${key}`,
      "x-api-key": key,
      cookie: "session=client-cookie",
    };
    for (const endpoint of ["/mcp", "/servers/rec/mcp"]) {
      const url = `${gw.url}${endpoint}`;
      const session = await openSession(url, clientHeaders);
      const name = endpoint === "/mcp" ? "rec__echo" : "echo";
      const res = await call(
        url,
        session,
        "tools/call",
        { name, arguments: { text: "x" } },
        clientHeaders,
      );
      assert.equal(res.json().result?.content?.[0]?.text, "x", res.text);
    }
    const rest = await raw(`${gw.url}/v1/tools/rec/echo`, {
      method: "POST",
      headers: { ...clientHeaders, "content-type": "application/json" },
      body: JSON.stringify({ text: "y" }),
    });
    assert.equal(rest.status, 200, rest.text);
    assert.ok(
      recorder.requests.length >= 3,
      `the upstream saw ${recorder.requests.length} requests`,
    );
    for (const headers of recorder.requests) {
      assert.equal(headers.authorization, undefined);
      assert.equal(headers["x-api-key"], undefined);
      assert.equal(headers.cookie, undefined);
      assert.ok(!JSON.stringify(headers).includes(key.slice(23)), "no part of the key upstream");
      assert.equal(headers["x-upstream-token"], "configured-for-rec");
    }
  });
});
