/**
 * Resumable SSE streams of the streamable HTTP upstream (MCP 2025-11-25,
 * SEP-1699), against a raw server that closes streams exactly where a test
 * wants and replays on GET with Last-Event-ID.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import type { JsonRpcMessage, JsonRpcNotification } from "../../src/gateway/jsonrpc/messages.ts";
import { createUpstream } from "../../src/gateway/upstream/create-upstream.ts";
import { MAX_IDLE_RESUMES } from "../../src/gateway/upstream/http-resume.ts";
import { StreamableHttpTransport } from "../../src/gateway/upstream/http-transport.ts";
import {
  logMessage,
  openSse,
  type RawHandler,
  type RawServer,
  SESSION,
  sendEvent,
  startRawServer,
  toolResult,
  VERSION,
} from "./raw-mcp-server.ts";
import { callTool, eventually, httpConfig, memoryLogger, startFor, textOf } from "./support.ts";

type After = { after(fn: () => Promise<void>): void };

/** A resumption that never stops must fail its test, not hang the run. */
const BOUNDED = { timeout: 10_000 };

const CALL = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "poll" } } as const;

/** A raw server stopped by the test, and a transport on it that records what it delivers. */
async function setup(t: After, handler: RawHandler) {
  const server = await startRawServer(handler);
  t.after(() => server.close());
  const { logger, lines } = memoryLogger();
  const transport = new StreamableHttpTransport({
    name: "raw",
    url: server.url,
    headers: {},
    connections: 4,
    logger,
  });
  t.after(() => transport.close());
  transport.setProtocolVersion(VERSION);
  const received: Array<{ message: JsonRpcMessage; related: string | number | undefined }> = [];
  const errors: Error[] = [];
  const closes: Array<Error | undefined> = [];
  transport.onmessage = (message, related) => received.push({ message, related });
  transport.onerror = (error) => errors.push(error);
  transport.onclose = (error) => closes.push(error);
  return { server, transport, received, errors, closes, lines };
}

/** A POST stream that primes (id p-0), logs (id p-1) and closes without the response. */
function closingPost(retry: number): RawHandler {
  return (_request, res) => {
    openSse(res);
    sendEvent(res, { id: "p-0", retry });
    sendEvent(res, { id: "p-1", message: logMessage("before the close") });
    res.end();
  };
}

function lastEventIds(server: RawServer): unknown[] {
  return server.gets().map((g) => g.headers["last-event-id"]);
}

describe("streamable HTTP: resuming a request's stream", BOUNDED, () => {
  test("a stream closed after an event with an id is resumed with GET + Last-Event-ID after retry:, and the replay answers the call", async (t) => {
    let replayClosed = false;
    const post = closingPost(80);
    const { server, transport, received, errors } = await setup(t, (request, res) => {
      if (request.method === "POST") return post(request, res);
      openSse(res);
      res.on("close", () => {
        replayClosed = true;
      });
      sendEvent(res, { id: "p-2", message: logMessage("after the close") });
      sendEvent(res, { id: "p-3", message: toolResult(1, "resumed") });
      // Left open, as the SDK leaves a replayed stream: the client must drop it once answered.
    });
    await transport.send(CALL);
    assert.deepEqual(
      received.map((r) => [r.related, r.message]),
      [
        [1, logMessage("before the close")],
        [1, logMessage("after the close")],
        [1, toolResult(1, "resumed")],
      ],
    );
    assert.deepEqual(errors, [], "the priming event was reported as unusable");
    const [post1] = server.requests.filter((r) => r.method === "POST");
    const [get, ...more] = server.gets();
    assert.equal(more.length, 0);
    assert.ok(get !== undefined && post1 !== undefined);
    assert.equal(get.headers.accept, "text/event-stream");
    assert.equal(get.headers["mcp-session-id"], SESSION);
    assert.equal(get.headers["mcp-protocol-version"], VERSION);
    assert.equal(get.headers["last-event-id"], "p-1");
    assert.ok(
      get.at - post1.at >= 75,
      `reconnected ${get.at - post1.at} ms after, not after retry:`,
    );
    await eventually(() => replayClosed, 2000);
  });

  test("a resumed stream closed again is resumed again from the newest id", async (t) => {
    const post = closingPost(10);
    const { server, transport, received } = await setup(t, (request, res) => {
      if (request.method === "POST") return post(request, res);
      openSse(res);
      if (request.headers["last-event-id"] === "p-1") {
        sendEvent(res, { id: "p-2", message: logMessage("second stream") });
        return void res.end();
      }
      sendEvent(res, { id: "p-3", message: toolResult(1, "third stream") });
      res.end();
    });
    await transport.send(CALL);
    assert.deepEqual(lastEventIds(server), ["p-1", "p-2"]);
    assert.deepEqual(received.at(-1)?.message, toolResult(1, "third stream"));
  });

  test("a broken connection (not a clean end) is resumed as well", async (t) => {
    const { server, transport, received } = await setup(t, (request, res) => {
      openSse(res);
      if (request.method === "GET")
        return void res.end(`id: r-1\ndata: ${JSON.stringify(toolResult(1, "ok"))}\n\n`);
      sendEvent(res, { id: "p-0", retry: 10 });
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await transport.send(CALL);
    assert.deepEqual(lastEventIds(server), ["p-0"]);
    assert.deepEqual(received.at(-1)?.message, toolResult(1, "ok"));
  });

  test("a stream closed before answering without any event id fails the call clearly, with no GET", async (t) => {
    const { server, transport, received } = await setup(t, (_request, res) => {
      openSse(res);
      sendEvent(res, { message: logMessage("no id") });
      res.end();
    });
    await assert.rejects(transport.send(CALL), {
      message:
        "ended the response stream without answering, and sent no event id to resume it from",
    });
    assert.equal(received.length, 1);
    assert.equal(server.gets().length, 0);
  });

  test("gives up after MAX_IDLE_RESUMES reconnections that bring nothing new", async (t) => {
    const post = closingPost(1);
    const { server, transport } = await setup(t, (request, res) => {
      if (request.method === "POST") return post(request, res);
      res.writeHead(503).end("busy");
    });
    await assert.rejects(transport.send(CALL), (error: Error) => {
      assert.match(error.message, new RegExp(`${MAX_IDLE_RESUMES} attempts in a row`));
      assert.match(error.message, /Last-Event-ID "p-1"/);
      assert.match(error.message, /HTTP 503/);
      return true;
    });
    assert.deepEqual(lastEventIds(server), Array(MAX_IDLE_RESUMES).fill("p-1"));
  });

  test("a server that offers no GET (405) fails the call saying so", async (t) => {
    const post = closingPost(1);
    const { server, transport } = await setup(t, (request, res) => {
      if (request.method === "POST") return post(request, res);
      res.writeHead(405).end();
    });
    await assert.rejects(transport.send(CALL), /offers no GET to resume it \(HTTP 405\)/);
    assert.equal(server.gets().length, 1);
  });

  test("a session lost while resuming (404) fails the call and ends the transport", async (t) => {
    const post = closingPost(1);
    const { transport, closes } = await setup(t, (request, res) => {
      if (request.method === "POST") return post(request, res);
      res.writeHead(404).end("unknown session");
    });
    await transport.send(CALL).catch(() => {});
    assert.equal(closes.length, 1);
    assert.match(closes[0]?.message ?? "", /no longer knows the session \(HTTP 404\)/);
  });

  test("cancelling the call while its stream waits to be resumed stops the resumption", async (t) => {
    const post = closingPost(300);
    const { server, transport, lines } = await setup(t, (request, res) => {
      if (request.method === "POST") return post(request, res);
      openSse(res);
    });
    const sent = transport.send(CALL);
    await eventually(() => lines.some((l) => l.msg === "resuming an unanswered response stream"));
    await transport.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 1, reason: "test" },
    });
    await sent;
    await delay(450);
    assert.equal(server.gets().length, 0);
  });
});

describe("streamable HTTP: the standalone GET stream", BOUNDED, () => {
  test("skips priming events and resumes with Last-Event-ID after the server closes it", async (t) => {
    const changed = { jsonrpc: "2.0", method: "notifications/tools/list_changed" };
    const { server, transport, received, errors } = await setup(t, (request, res) => {
      openSse(res);
      if (request.headers["last-event-id"] === undefined) {
        sendEvent(res, { id: "l-0", retry: 20 });
        sendEvent(res, { id: "l-1", message: changed });
        return void res.end();
      }
      sendEvent(res, { id: "l-2", message: changed });
    });
    await transport.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await eventually(() => received.length === 2);
    assert.deepEqual(
      received.map((r) => [r.related, r.message]),
      [
        [undefined, changed],
        [undefined, changed],
      ],
    );
    assert.deepEqual(lastEventIds(server), [undefined, "l-1"]);
    assert.deepEqual(errors, []);
  });
});

describe("streamable HTTP: resumption through an upstream", BOUNDED, () => {
  test("a tool call whose stream the server closes midway gets its result and its notifications", async (t) => {
    const post = closingPost(20);
    const server = await startRawServer((request, res) => {
      if (request.method === "POST") return post(request, res);
      if (request.headers["last-event-id"] === undefined) return void res.writeHead(405).end();
      openSse(res);
      sendEvent(res, { id: "p-2", message: logMessage("after the close") });
      sendEvent(res, { id: "p-3", message: toolResult(callId(server), "done") });
    });
    t.after(() => server.close());
    const { logger, lines } = memoryLogger();
    const upstream = createUpstream("raw", httpConfig(server.url), logger);
    await startFor(t, upstream);
    const notes: JsonRpcNotification[] = [];
    const outcome = await callTool(upstream, "poll", {}, { onNotification: (n) => notes.push(n) });
    assert.equal(textOf(outcome), "done");
    assert.deepEqual(
      notes.map((n) => n.params?.data),
      ["before the close", "after the close"],
    );
    assert.ok(!lines.some((l) => (l.level as number) >= 40), "a warning was logged");
  });
});

/** The id the gateway gave the tools/call on `server` (the GET that resumes it carries none). */
function callId(server: RawServer): number | string | undefined {
  return server.requests.find((r) => r.message?.method === "tools/call")?.message?.id;
}
