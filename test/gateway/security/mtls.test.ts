import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeCa, makeCert, type Pem } from "./fixtures/certificates.ts";
import { startSecured } from "./support.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers of many shapes
  body: any;
}

/** One JSON-RPC POST over HTTPS, with or without a client certificate. */
function post(
  url: string,
  ca: string,
  client: Pem | undefined,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        ca,
        ...(client ? { cert: client.cert, key: client.key } : {}),
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text && JSON.parse(text),
          });
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("no answer in 10 s")));
    req.on("error", reject);
    req.end(JSON.stringify(message));
  });
}

describe("mTLS end to end (certificates made with openssl, real HTTPS gateway)", () => {
  let dir: string;
  let ca: Pem;
  let robot: Pem;
  let intruder: Pem;
  let stranger: Pem;
  let gw: Awaited<ReturnType<typeof startSecured>>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-mtls-"));
    ca = makeCa(dir, "ca");
    const server = makeCert(dir, "ca", "server", "localhost", "IP:127.0.0.1,DNS:localhost");
    robot = makeCert(dir, "ca", "robot", "robot");
    intruder = makeCert(dir, "ca", "intruder", "intruder");
    makeCa(dir, "other-ca");
    stranger = makeCert(dir, "other-ca", "stranger", "robot");
    gw = await startSecured({
      tls: { cert: server.certFile, key: server.keyFile, ca: ca.certFile, requireClientCert: true },
      auth: {},
      policies: {
        default: "deny",
        rules: [
          {
            name: "robot-echo",
            effect: "allow",
            servers: "fx",
            subjects: ["robot"],
            names: ["echo"],
          },
        ],
      },
    });
  });
  after(async () => {
    await gw?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** initialize, then one tools/call on the same session. */
  async function callAs(client: Pem, tool: string, args: Record<string, unknown>) {
    const url = `${gw.url}/mcp`;
    const init = await post(url, ca.cert, client, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "m", version: "1" },
      },
    });
    assert.equal(init.status, 200, JSON.stringify(init.body));
    const headers = {
      "mcp-session-id": String(init.headers["mcp-session-id"]),
      "mcp-protocol-version": "2025-06-18",
    };
    await post(
      url,
      ca.cert,
      client,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      headers,
    );
    return post(
      url,
      ca.cert,
      client,
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: tool, arguments: args } },
      headers,
    );
  }

  test("the gateway serves HTTPS and the certificate's subject is the principal a policy allows", async () => {
    assert.match(gw.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await callAs(robot, "fx__echo", { text: "hello" });
    assert.equal(res.body.result?.content?.[0]?.text, "hello", JSON.stringify(res.body));
  });

  test("the same subject is denied what the policy does not allow, and the refusal names mtls:robot", async () => {
    const res = await callAs(robot, "fx__whoami", {});
    assert.equal(res.body.error?.code, -32030);
    assert.match(res.body.error.message, /mtls:robot/);
  });

  test("another certificate from the same CA is authenticated but denied by the policy", async () => {
    const res = await callAs(intruder, "fx__echo", { text: "hi" });
    assert.equal(res.body.error?.code, -32030);
    assert.match(res.body.error.message, /mtls:intruder/);
  });

  test("without a client certificate, or with one from another CA, the handshake is refused", async () => {
    const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
    await assert.rejects(
      post(`${gw.url}/mcp`, ca.cert, undefined, ping),
      (error: NodeJS.ErrnoException) => {
        return /certificate|ECONNRESET|EPIPE|alert/i.test(`${error.code} ${error.message}`);
      },
    );
    await assert.rejects(
      post(`${gw.url}/mcp`, ca.cert, stranger, ping),
      (error: NodeJS.ErrnoException) => {
        return /certificate|ECONNRESET|EPIPE|alert|unknown ca/i.test(
          `${error.code} ${error.message}`,
        );
      },
    );
  });
});
