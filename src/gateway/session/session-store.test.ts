import assert from "node:assert/strict";
import { test } from "node:test";
import { Session } from "./session.ts";
import { SessionStore } from "./session-store.ts";

const client = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: undefined };

test("idle sessions expire, unless the client holds its stream open or a call is running", async () => {
  const store = new SessionStore(10);
  const idle = new Session("idle", { kind: "aggregate" }, client);
  const streaming = new Session("streaming", { kind: "aggregate" }, client);
  streaming.standalone = { open: true, send() {} };
  const busy = new Session("busy", { kind: "aggregate" }, client);
  busy.inFlight.set(1, new AbortController());
  for (const s of [idle, streaming, busy]) {
    s.lastSeen = Date.now() - 60_000;
    store.add(s);
  }
  const expired: string[] = [];
  store.startSweeping((s) => {
    expired.push(s.id);
    store.delete(s.id);
  });
  try {
    const deadline = Date.now() + 3000;
    while (expired.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    store.stopSweeping();
  }
  assert.deepEqual(expired, ["idle"]);
  assert.equal(store.size, 2);
});
