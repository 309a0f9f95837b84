import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { silentLogger } from "../../shared/logger.ts";
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  Params,
} from "../jsonrpc/messages.ts";
import { Connection } from "./connection.ts";
import type { PendingCall } from "./pending-call.ts";
import type { UpstreamTransport } from "./types.ts";
import { NotDeliveredError } from "./undelivered.ts";

/**
 * An in-memory transport the test scripts by hand: it records what the
 * connection sends and lets the test deliver whatever a server would.
 */
class ScriptedTransport implements UpstreamTransport {
  onmessage?: (message: JsonRpcMessage, relatedRequestId?: string | number) => void;
  onclose?: (error?: Error) => void;
  onerror?: (error: Error) => void;
  readonly sent: JsonRpcMessage[] = [];
  version = "2025-11-25";

  async start(): Promise<void> {}

  async send(message: JsonRpcMessage): Promise<void> {
    this.sent.push(message);
    if ("method" in message && message.method === "initialize" && "id" in message) {
      const result = {
        protocolVersion: this.version,
        capabilities: { tools: {} },
        serverInfo: { name: "s", version: "1" },
      };
      queueMicrotask(() => this.deliver({ jsonrpc: "2.0", id: message.id, result }));
    }
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  deliver(message: JsonRpcMessage, related?: string | number): void {
    this.onmessage?.(message, related);
  }

  requests(method: string): JsonRpcRequest[] {
    return this.sent.filter(
      (m): m is JsonRpcRequest => "method" in m && "id" in m && m.method === method,
    );
  }

  notifications(method: string): JsonRpcNotification[] {
    return this.sent.filter(
      (m) => "method" in m && !("id" in m) && m.method === method,
    ) as JsonRpcNotification[];
  }
}

async function connect(
  options: { maxConcurrency?: number; maxQueue?: number; version?: string } = {},
) {
  const transport = new ScriptedTransport();
  if (options.version !== undefined) transport.version = options.version;
  const connection = new Connection({
    name: "t",
    transport,
    logger: silentLogger(),
    timeoutMs: 5000,
    maxConcurrency: options.maxConcurrency ?? 64,
    connectTimeoutMs: 1000,
    maxQueue: options.maxQueue,
  });
  await connection.start();
  return { transport, connection };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("Connection handshake", () => {
  test("initializes as sophia-gateway with sampling, elicitation and roots, then notifies initialized", async () => {
    const { transport, connection } = await connect();
    const init = transport.requests("initialize")[0];
    assert.equal(init?.params?.protocolVersion, "2025-11-25");
    assert.deepEqual(init?.params?.clientInfo, { name: "sophia-gateway", version: "0.1.0" });
    assert.deepEqual(init?.params?.capabilities, {
      sampling: {},
      elicitation: { form: {}, url: {} },
      roots: { listChanged: true },
    });
    assert.equal(transport.notifications("notifications/initialized").length, 1);
    assert.equal(connection.info?.protocolVersion, "2025-11-25");
  });

  test("accepts an older revision the server prefers", async () => {
    const { connection } = await connect({ version: "2024-11-05" });
    assert.equal(connection.info?.protocolVersion, "2024-11-05");
  });

  test("refuses a revision it does not speak, saying which", async () => {
    await assert.rejects(connect({ version: "2023-01-01" }), (error: unknown) => {
      assert.ok(isSophiaError(error, "UPSTREAM_PROTOCOL"));
      assert.match(
        error.message,
        /server t answered initialize with protocol version "2023-01-01"/,
      );
      return true;
    });
  });
});

describe("Connection multiplexing", () => {
  test("responses answered in any order reach their own callers", async () => {
    const { transport, connection } = await connect({ maxConcurrency: 100 });
    const calls = Array.from({ length: 100 }, (_, i) =>
      connection.request("tools/call", { name: "echo", n: i }),
    );
    await tick();
    const sent = transport.requests("tools/call");
    assert.equal(new Set(sent.map((m) => m.id)).size, 100);
    for (const message of [...sent].reverse()) {
      transport.deliver({ jsonrpc: "2.0", id: message.id, result: { n: message.params?.n } });
    }
    const outcomes = await Promise.all(calls);
    assert.deepEqual(
      outcomes.map((o) => ("result" in o ? o.result.n : undefined)),
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.equal(connection.inFlight, 0);
  });

  test("a JSON-RPC error is an outcome, not a thrown error", async () => {
    const { transport, connection } = await connect();
    const call = connection.request("tools/call", { name: "x" });
    await tick();
    const id = transport.requests("tools/call")[0]?.id ?? -1;
    transport.deliver({ jsonrpc: "2.0", id, error: { code: -32602, message: "bad" } });
    assert.deepEqual(await call, { error: { code: -32602, message: "bad" } });
  });

  test("progress tokens are replaced per call and restored on the way back", async () => {
    const { transport, connection } = await connect();
    const seen: Record<string, unknown[]> = { a: [], b: [] };
    const params: Params = { name: "p", _meta: { progressToken: "same", other: 1 } };
    const a = connection.request("tools/call", params, {
      onNotification: (n) => seen.a?.push(n.params),
    });
    const b = connection.request("tools/call", params, {
      onNotification: (n) => seen.b?.push(n.params),
    });
    await tick();
    const [sentA, sentB] = transport.requests("tools/call");
    const metaOf = (m: JsonRpcRequest | undefined) =>
      (m?.params?._meta ?? {}) as Record<string, unknown>;
    const tokenA = metaOf(sentA).progressToken;
    const tokenB = metaOf(sentB).progressToken;
    assert.notEqual(tokenA, tokenB);
    assert.notEqual(tokenA, "same");
    assert.equal(metaOf(sentA).other, 1);
    assert.deepEqual(
      params._meta,
      { progressToken: "same", other: 1 },
      "caller's params untouched",
    );
    transport.deliver({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: tokenB, progress: 7 },
    });
    transport.deliver({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: tokenA, progress: 1 },
    });
    transport.deliver({
      jsonrpc: "2.0",
      method: "notifications/progress",
      params: { progressToken: 999, progress: 1 },
    });
    assert.deepEqual(seen.a, [{ progressToken: "same", progress: 1 }]);
    assert.deepEqual(seen.b, [{ progressToken: "same", progress: 7 }]);
    transport.deliver({ jsonrpc: "2.0", id: sentA?.id ?? -1, result: {} });
    transport.deliver({ jsonrpc: "2.0", id: sentB?.id ?? -1, result: {} });
    await Promise.all([a, b]);
  });

  test("server-wide notifications go to the connection even when scoped to a call; others to the call", async () => {
    const { transport, connection } = await connect();
    const wide: string[] = [];
    const scoped: string[] = [];
    connection.onnotification = (n) => wide.push(n.method);
    const call = connection.request(
      "tools/call",
      { name: "x" },
      { onNotification: (n) => scoped.push(n.method) },
    );
    await tick();
    const id = transport.requests("tools/call")[0]?.id ?? -1;
    transport.deliver({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }, id);
    transport.deliver(
      { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: 1 } },
      id,
    );
    transport.deliver({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { level: "info", data: 2 },
    });
    assert.deepEqual(wide, ["notifications/tools/list_changed", "notifications/message"]);
    assert.deepEqual(scoped, ["notifications/message"]);
    transport.deliver({ jsonrpc: "2.0", id, result: {} });
    await call;
  });
});

describe("Connection server requests", () => {
  test("routed by relatedRequestId; without one, refused when several calls could own it", async () => {
    const { transport, connection } = await connect();
    const asked: string[] = [];
    const answering = (who: string) => ({
      onServerRequest: async (method: string) => {
        asked.push(`${who}:${method}`);
        return { result: { who } };
      },
    });
    const ignore = () => {};
    connection.request("tools/call", { name: "a" }, answering("a")).catch(ignore);
    connection.request("tools/call", { name: "b" }, answering("b")).catch(ignore);
    connection.request("tools/call", { name: "c" }).catch(ignore);
    await tick();
    const idA = transport.requests("tools/call")[0]?.id ?? -1;
    transport.deliver(
      { jsonrpc: "2.0", id: "s1", method: "sampling/createMessage", params: {} },
      idA,
    );
    transport.deliver({ jsonrpc: "2.0", id: "s2", method: "elicitation/create", params: {} });
    transport.deliver({ jsonrpc: "2.0", id: "s3", method: "ping" });
    await tick();
    assert.deepEqual(asked, ["a:sampling/createMessage"]);
    const replies = transport.sent.filter(
      (m) => "id" in m && typeof m.id === "string" && !("method" in m),
    );
    assert.equal(replies.length, 3);
    const byId = (id: string) => replies.find((r) => "id" in r && r.id === id);
    assert.match(JSON.stringify(byId("s2")), /cannot tell which client/);
    assert.deepEqual(byId("s1"), { jsonrpc: "2.0", id: "s1", result: { who: "a" } });
    await connection.close();
  });

  test("a call learned to ask questions then runs alone, so its next question is attributed exactly", async () => {
    const { transport, connection } = await connect();
    const asked: string[] = [];
    const answering = (who: string) => ({
      onServerRequest: async () => {
        asked.push(who);
        return { result: { who } };
      },
    });
    const ignore = () => {};
    connection.request("tools/call", { name: "ask" }, answering("first")).catch(ignore);
    connection.request("tools/call", { name: "other" }, answering("x")).catch(ignore);
    await tick();
    // Two candidates: refused, and both tools are learned as interactive.
    transport.deliver({ jsonrpc: "2.0", id: "q1", method: "sampling/createMessage", params: {} });
    await tick();
    for (const r of transport.requests("tools/call"))
      transport.deliver({ jsonrpc: "2.0", id: r.id, result: {} });
    await tick();
    const before = transport.requests("tools/call").length;
    connection.request("tools/call", { name: "ask" }, answering("second")).catch(ignore);
    connection.request("tools/call", { name: "ask" }, answering("third")).catch(ignore);
    await tick();
    const sent = transport.requests("tools/call").slice(before);
    assert.equal(sent.length, 1, "the second interactive call waits for the first");
    transport.deliver({ jsonrpc: "2.0", id: "q2", method: "sampling/createMessage", params: {} });
    await tick();
    assert.deepEqual(asked, ["second"]);
    transport.deliver({ jsonrpc: "2.0", id: sent[0]!.id, result: {} });
    await tick();
    assert.equal(
      transport.requests("tools/call").length,
      before + 2,
      "the queued call is sent once the first settles",
    );
    await connection.close();
  });

  test("with no call to take them: roots/list is empty, other requests get method-not-found", async () => {
    const { transport } = await connect();
    transport.deliver({ jsonrpc: "2.0", id: 1, method: "roots/list" });
    transport.deliver({ jsonrpc: "2.0", id: 2, method: "sampling/createMessage", params: {} });
    await tick();
    const replies = transport.sent.filter((m) => !("method" in m));
    assert.deepEqual(replies[0], { jsonrpc: "2.0", id: 1, result: { roots: [] } });
    assert.equal(
      "error" in (replies[1] ?? {}) && (replies[1] as { error: { code: number } }).error.code,
      -32601,
    );
  });

  test("a server request the server cancels aborts the client's handler and gets no reply", async () => {
    const { transport, connection } = await connect();
    let aborted = false;
    const call = connection.request(
      "tools/call",
      { name: "a" },
      {
        onServerRequest: (_method, _params, signal) =>
          new Promise((resolve) => {
            signal.addEventListener("abort", () => {
              aborted = true;
              resolve({ result: {} });
            });
          }),
      },
    );
    call.catch(() => {});
    await tick();
    transport.deliver({ jsonrpc: "2.0", id: "s1", method: "sampling/createMessage", params: {} });
    transport.deliver({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: "s1" },
    });
    await tick();
    assert.equal(aborted, true);
    assert.equal(transport.sent.filter((m) => "id" in m && m.id === "s1").length, 0);
    await connection.close();
  });
});

describe("Connection cancellation, limits and close", () => {
  test("abort sends notifications/cancelled with the upstream id and rejects with AbortError", async () => {
    const { transport, connection } = await connect();
    const controller = new AbortController();
    const call = connection.request("tools/call", { name: "slow" }, { signal: controller.signal });
    await tick();
    const id = transport.requests("tools/call")[0]?.id;
    controller.abort();
    await assert.rejects(call, { name: "AbortError" });
    assert.deepEqual(transport.notifications("notifications/cancelled")[0]?.params?.requestId, id);
    transport.deliver({ jsonrpc: "2.0", id: id ?? -1, result: {} }); // late answer: ignored
    assert.equal(connection.inFlight, 0);
  });

  test("a full queue refuses with UPSTREAM_OVERLOADED", async () => {
    const { connection } = await connect({ maxConcurrency: 1, maxQueue: 1 });
    connection.request("tools/call", { name: "a" }).catch(() => {});
    connection.request("tools/call", { name: "b" }).catch(() => {});
    await assert.rejects(connection.request("tools/call", { name: "c" }), (e) =>
      isSophiaError(e, "UPSTREAM_OVERLOADED"),
    );
    await connection.close();
  });

  test("the transport closing fails sent and queued calls, naming the server, the call and why", async () => {
    const { transport, connection } = await connect({ maxConcurrency: 1 });
    let closed: Error | undefined;
    connection.onclose = (error) => {
      closed = error;
    };
    const sent = connection.request("tools/call", { name: "first" });
    const queued = connection.request("resources/read", { uri: "file:///x" });
    await tick();
    transport.onclose?.(new Error("exited with code 1"));
    await assert.rejects(sent, (e: unknown) => {
      assert.ok(isSophiaError(e, "UPSTREAM_UNAVAILABLE"));
      assert.equal(e.message, "server t exited with code 1 while tools/call first was in flight");
      return true;
    });
    await assert.rejects(
      queued,
      /server t exited with code 1 before resources\/read file:\/\/\/x could be sent/,
    );
    assert.match(closed?.message ?? "", /server t exited with code 1/);
    await assert.rejects(connection.request("ping", undefined), (e) =>
      isSophiaError(e, "UPSTREAM_UNAVAILABLE"),
    );
  });

  test("calls that never reached the server are handed over, once; sent ones fail", async () => {
    const { transport, connection } = await connect({ maxConcurrency: 1 });
    const taken: PendingCall[] = [];
    connection.onundelivered = (call) => taken.push(call);
    const sent = connection.request("tools/call", { name: "sent" });
    const queued = connection.request("tools/call", {
      name: "queued",
      _meta: { progressToken: "p" },
    });
    const queuedAgain = connection.request("tools/call", { name: "again" }, undefined, true);
    await tick();
    transport.onclose?.(new Error("exited with code 1"));
    await assert.rejects(sent, /while tools\/call sent was in flight/);
    await assert.rejects(queuedAgain, /before tools\/call again could be sent/);
    assert.deepEqual(
      taken.map((c) => c.original),
      [{ name: "queued", _meta: { progressToken: "p" } }],
    );
    taken[0]?.resolve({ result: { by: "taker" } });
    assert.deepEqual(await queued, { result: { by: "taker" } });
  });

  test("a send refused as not delivered is handed over instead of failing", async () => {
    const { transport, connection } = await connect();
    const taken: string[] = [];
    connection.onundelivered = (call) => {
      taken.push(call.describe());
      call.resolve({ result: {} });
    };
    transport.send = async (message) => {
      if ("method" in message && message.method === "tools/call")
        throw new NotDeliveredError("gone (HTTP 404)");
    };
    await connection.request("tools/call", { name: "x" });
    assert.deepEqual(taken, ["tools/call x"]);
  });
});
