// biome-ignore-all lint/suspicious/noTemplateCurlyInString: configuration text with ${…} references
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseConfigText } from "../../../src/config/index.ts";
import { Gateway } from "../../../src/gateway/index.ts";
import { EscProvider, readSecrets } from "../../../src/gateway/secrets/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { ROOT } from "../../support/gateway-harness.ts";
import { type FakeEsc, startFakeEsc } from "./fixtures/fake-esc.ts";
import { type RecordingUpstream, startRecordingUpstream } from "./fixtures/recording-upstream.ts";
import { call, FIXTURE, openSession, startSecured } from "./support.ts";

const ENV = { org: "acme", project: "sophia", environment: "prod", token: "esc-token-Zq81" };
const KEY_1 = "rotating-key-Aa11";
const KEY_2 = "rotating-key-Bb22";
const FILE_SECRET = "file-secret-Cc33";

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 8000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

describe("upstream secrets from a fake Pulumi ESC server and files (real gateway)", () => {
  let dir: string;
  let esc: FakeEsc;
  let recorder: RecordingUpstream;
  let gw: Awaited<ReturnType<typeof startSecured>>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-secrets-"));
    await writeFile(join(dir, "file-secret"), `${FILE_SECRET}\n`, { mode: 0o600 });
    esc = await startFakeEsc(ENV, { upstream: { apiKey: KEY_1, list: ["x", 7] } });
    recorder = await startRecordingUpstream();
    gw = await startSecured(
      {
        secrets: {
          provider: "esc",
          org: ENV.org,
          project: ENV.project,
          environment: ENV.environment,
          token: "${ESC_TOKEN}",
          refresh: "300ms",
          url: esc.url,
        },
      },
      {
        fx: {
          ...FIXTURE,
          env: {
            FIXTURE_SECRET: "${secret:upstream.apiKey}",
            FIXTURE_MIXED: `n=\${secret:upstream.list.1};f=\${file:${join(dir, "file-secret")}}`,
          },
        },
        rec: { url: recorder.url, headers: { "x-api-key": "k-${secret:upstream.apiKey}" } },
      },
      { ESC_TOKEN: ENV.token },
    );
  });
  after(async () => {
    await gw?.stop();
    await recorder?.close();
    await esc?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const envOf = async (name: string) => {
    const url = `${gw.url}/servers/fx/mcp`;
    const session = await openSession(url);
    const res = await call(url, session, "tools/call", { name: "env", arguments: { name } });
    return String(res.json().result?.content?.[0]?.text);
  };

  test("ESC is opened with the token; values fill stdio env and HTTP headers", async () => {
    assert.ok(esc.authorizations.every((a) => a === `token ${ENV.token}`));
    assert.equal(await envOf("FIXTURE_SECRET"), KEY_1);
    assert.equal(await envOf("FIXTURE_MIXED"), `n=7;f=${FILE_SECRET}`);
    const session = await openSession(`${gw.url}/servers/rec/mcp`);
    await call(`${gw.url}/servers/rec/mcp`, session, "tools/list", {});
    assert.ok(recorder.requests.length > 0);
    for (const headers of recorder.requests) assert.equal(headers["x-api-key"], `k-${KEY_1}`);
  });

  test("a rotated value takes effect for new connections after the refresh", async () => {
    esc.values = { upstream: { apiKey: KEY_2, list: ["x", 7] } };
    const reads = esc.reads;
    await until("two refreshes", () => esc.reads >= reads + 2);
    await until("the refresh log line", () => gw.logs().includes("upstream secrets refreshed"));
    // The running process keeps its environment; a new one (after a crash) gets the new value.
    assert.equal(await envOf("FIXTURE_SECRET"), KEY_1);
    const url = `${gw.url}/servers/fx/mcp`;
    const session = await openSession(url);
    await call(url, session, "tools/call", { name: "crash", arguments: {} });
    await until("the restarted process to see the new value", async () => {
      try {
        return (await envOf("FIXTURE_SECRET")) === KEY_2;
      } catch {
        return false;
      }
    });
  });

  test("no secret value and no token ever reaches the log", () => {
    const logs = gw.logs();
    assert.match(logs, /upstream secrets read/);
    assert.match(logs, /"changed":\["upstream.apiKey"\]/);
    for (const secret of [KEY_1, KEY_2, FILE_SECRET, ENV.token])
      assert.ok(!logs.includes(secret), `the log holds ${secret}`);
  });
});

describe("secret provider errors (fake ESC server)", () => {
  let esc: FakeEsc;
  before(async () => {
    esc = await startFakeEsc(ENV, { db: { password: "pw-Dd44" } });
  });
  after(() => esc?.close());

  const configText = (servers: Record<string, unknown>, token = "${ESC_TOKEN}") =>
    JSON.stringify({
      gateway: {
        listen: "127.0.0.1:0",
        secrets: { provider: "esc", ...ENV, token, url: esc.url, refresh: "5m" },
      },
      servers,
    });
  const load = (text: string, env: Record<string, string> = { ESC_TOKEN: ENV.token }) =>
    parseConfigText(text, { file: join(ROOT, "test.json"), env });

  test("a wrong token: SECRETS_UNAVAILABLE with ESC's reason, never the token", async () => {
    const config = load(configText({}, "wrong-token-Ee55"));
    const provider = new EscProvider(readSecrets(config)!);
    await assert.rejects(provider.read(), (error: Error & { code?: string }) => {
      assert.equal(error.code, "SECRETS_UNAVAILABLE");
      assert.match(error.message, /acme\/sophia\/prod: open failed: HTTP 401 \(Unauthorized/);
      assert.ok(!error.message.includes("wrong-token-Ee55"));
      return true;
    });
  });

  test("a missing path: the server's start fails naming the path, and the gateway keeps serving", async () => {
    const config = load(configText({ fx: { ...FIXTURE, env: { PW: "${secret:db.nope}" } } }));
    const gateway = new Gateway({ config, logger: silentLogger() });
    try {
      const upstream = gateway.upstreams.get("fx")!;
      await assert.rejects(
        upstream.start(),
        /has no value at "db.nope" \(used by server fx env PW\)/,
      );
    } finally {
      await gateway.stop();
    }
  });

  test("${secret:…} without gateway.secrets, or outside headers/env, is a configuration error", () => {
    const plain = load(
      JSON.stringify({ servers: { fx: { ...FIXTURE, env: { PW: "${secret:db.password}" } } } }),
    );
    assert.throws(
      () => new Gateway({ config: plain, logger: silentLogger() }),
      /uses \$\{secret:db.password\} but gateway.secrets is not configured/,
    );
    const inArgs = load(configText({ fx: { ...FIXTURE, args: ["${secret:db.password}"] } }));
    assert.throws(
      () => new Gateway({ config: inArgs, logger: silentLogger() }),
      /outside headers and env/,
    );
  });
});
