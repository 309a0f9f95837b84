import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT, startGateway, stdioEntry } from "../support/gateway-harness.ts";

const FIXTURE = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");
const JSON_AND_SSE = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

interface SseEvent {
  id: string | undefined;
  retry: string | undefined;
  data: string;
}

/** Reads SSE events off a response body; `stop` says when to stop reading (and drop the connection). */
async function readEvents(
  res: Response,
  stop: (event: SseEvent, all: SseEvent[]) => boolean = () => false,
): Promise<SseEvent[]> {
  assert.ok(res.body, "response has a body");
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let text = "";
  const timer = setTimeout(() => void reader.cancel(), 10_000);
  try {
    for (let round = 0; round < 10_000; round++) {
      const { value, done } = await reader.read();
      if (done) return events;
      text += value;
      let cut = text.indexOf("\n\n");
      while (cut >= 0) {
        const event = parseEvent(text.slice(0, cut));
        text = text.slice(cut + 2);
        cut = text.indexOf("\n\n");
        if (!event) continue;
        events.push(event);
        if (stop(event, events)) {
          await reader.cancel();
          return events;
        }
      }
    }
    return events;
  } finally {
    clearTimeout(timer);
  }
}

function parseEvent(block: string): SseEvent | undefined {
  const event: SseEvent = { id: undefined, retry: undefined, data: "" };
  let fields = 0;
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    fields++;
    if (name === "id") event.id = value;
    else if (name === "retry") event.retry = value;
    else if (name === "data") event.data += value;
  }
  return fields === 0 ? undefined : event;
}

function messages(events: SseEvent[]): Array<Record<string, unknown>> {
  return events.filter((e) => e.data !== "").map((e) => JSON.parse(e.data));
}

function progressOf(events: SseEvent[]): unknown[] {
  return messages(events)
    .filter((m) => m.method === "notifications/progress")
    .map((m) => (m.params as { progress: number }).progress);
}

function results(events: SseEvent[]): unknown[] {
  return messages(events).filter((m) => m.id === 9 && "result" in m);
}

describe("resumable SSE streams (MCP 2025-11-25)", () => {
  let gw: Awaited<ReturnType<typeof startGateway>>;
  let mcp: string;

  before(async () => {
    gw = await startGateway({ fx: stdioEntry(FIXTURE) });
    mcp = `${gw.url}/mcp`;
  });
  after(() => gw.stop());

  async function openSession(protocolVersion: string): Promise<string> {
    const res = await fetch(mcp, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
    });
    const session = res.headers.get("mcp-session-id");
    assert.ok(session);
    assert.equal(
      ((await res.json()) as { result: { protocolVersion: string } }).result.protocolVersion,
      protocolVersion,
    );
    return session;
  }

  function post(session: string, body: Record<string, unknown>, signal?: AbortSignal) {
    return fetch(mcp, {
      method: "POST",
      headers: { ...JSON_AND_SSE, "mcp-session-id": session },
      body: JSON.stringify({ jsonrpc: "2.0", ...body }),
      ...(signal ? { signal } : {}),
    });
  }

  function callProgress(session: string, steps: number, signal?: AbortSignal) {
    return post(
      session,
      {
        id: 9,
        method: "tools/call",
        params: { name: "fx__progress", arguments: { steps }, _meta: { progressToken: "p" } },
      },
      signal,
    );
  }

  function getStream(session: string, lastEventId?: string, signal?: AbortSignal) {
    return fetch(mcp, {
      headers: {
        accept: "text/event-stream",
        "mcp-session-id": session,
        ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
      },
      ...(signal ? { signal } : {}),
    });
  }

  test("a POST's stream opens with a priming event (id, retry, no data); every event has its own id", async () => {
    const session = await openSession("2025-11-25");
    const res = await callProgress(session, 3);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const events = await readEvents(res);
    const [priming, ...rest] = events;
    assert.match(priming?.id ?? "", /^\d+-0$/);
    assert.equal(priming?.retry, "1000");
    assert.equal(priming?.data, "");
    assert.deepEqual(progressOf(events), [1, 2, 3]);
    assert.equal(results(events).length, 1);
    const ids = events.map((e) => e.id);
    assert.ok(rest.every((e) => e.id?.startsWith(`${priming?.id?.split("-")[0]}-`)));
    assert.equal(new Set(ids).size, ids.length, "ids are unique");
  });

  test("a plain JSON answer stays plain JSON", async () => {
    const session = await openSession("2025-11-25");
    const res = await post(session, { id: 3, method: "tools/list" });
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  });

  for (const when of ["while the call runs", "after the call ended"]) {
    test(`a client that loses the POST stream gets the rest exactly once with Last-Event-ID (${when})`, async () => {
      const session = await openSession("2025-11-25");
      const steps = when === "while the call runs" ? 40 : 20;
      const dropped = new AbortController();
      const first = await readEvents(
        await callProgress(session, steps, dropped.signal),
        (_, all) => progressOf(all).length === 1,
      );
      dropped.abort();
      const lastId = first.at(-1)?.id;
      assert.ok(lastId);
      if (when === "after the call ended") await sleep(800);
      const second = await readEvents(await getStream(session, lastId));
      const all = [...first, ...second];
      assert.deepEqual(
        progressOf(all),
        Array.from({ length: steps }, (_, i) => i + 1),
      );
      assert.equal(results(all).length, 1);
      assert.match(JSON.stringify(results(all)), new RegExp(`done ${steps}`));
      assert.ok(second.every((e) => e.id !== undefined));
      // Delivered: the stream is gone, so the same id now opens an ordinary standalone stream.
      const again = new AbortController();
      const fresh = await readEvents(await getStream(session, lastId, again.signal), () => true);
      assert.equal(fresh[0]?.data, "");
      assert.notEqual(fresh[0]?.id?.split("-")[0], lastId.split("-")[0]);
      again.abort();
    });
  }

  test("the standalone stream is resumed: what was sent while away is replayed", async () => {
    const session = await openSession("2025-11-25");
    const away = new AbortController();
    const [priming] = await readEvents(
      await getStream(session, undefined, away.signal),
      () => true,
    );
    away.abort();
    assert.match(priming?.id ?? "", /^\d+-0$/);
    await sleep(100);
    const added = await post(session, {
      id: 4,
      method: "tools/call",
      params: { name: "fx__add_tool", arguments: { name: "extra" } },
    });
    assert.equal(added.status, 200);
    await added.text();
    const back = new AbortController();
    const res = await getStream(session, priming?.id, back.signal);
    const replayed = await readEvents(res, (e) => e.data.includes("tools/list_changed"));
    back.abort();
    assert.ok(messages(replayed).some((m) => m.method === "notifications/tools/list_changed"));
    assert.ok(replayed.every((e) => e.id !== undefined));
  });

  test("a second standalone GET while one is read gets 409", async () => {
    const session = await openSession("2025-11-25");
    const first = new AbortController();
    await readEvents(await getStream(session, undefined, first.signal), () => true);
    const second = await getStream(session);
    assert.equal(second.status, 409);
    await second.text();
    first.abort();
  });

  test("a 2025-06-18 session gets no ids, no priming event, no retry", async () => {
    const session = await openSession("2025-06-18");
    const events = await readEvents(await callProgress(session, 3));
    assert.deepEqual(progressOf(events), [1, 2, 3]);
    assert.equal(results(events).length, 1);
    assert.ok(events.every((e) => e.id === undefined && e.retry === undefined && e.data !== ""));
  });

  test("a 2026-07-28 request gets no ids (its client would try to resume)", async () => {
    const res = await fetch(mcp, {
      method: "POST",
      headers: {
        ...JSON_AND_SSE,
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "tools/call",
        "mcp-name": "fx__progress",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 9,
        method: "tools/call",
        params: {
          name: "fx__progress",
          arguments: { steps: 3 },
          _meta: {
            progressToken: "p",
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
          },
        },
      }),
    });
    assert.match(
      res.headers.get("content-type") ?? "",
      /text\/event-stream/,
      await res.clone().text(),
    );
    const events = await readEvents(res);
    assert.deepEqual(progressOf(events), [1, 2, 3]);
    assert.equal(results(events).length, 1);
    assert.ok(events.every((e) => e.id === undefined && e.retry === undefined));
  });
});
