import assert from "node:assert/strict";
import { test } from "node:test";
import { Session } from "./session.ts";
import { changesFor, decodeState, encodeState, snapshot } from "./shared-state.ts";

function session(): Session {
  const s = new Session(
    "id",
    { kind: "aggregate" },
    { protocolVersion: "2025-06-18", capabilities: { sampling: {} }, clientInfo: { name: "c" } },
  );
  s.bind({ subject: "alice", method: "api-key", keyId: "k1", roles: ["r"], scopes: [] });
  return s;
}

test("a snapshot survives encoding, keeps no secrets or claims, and sorts subscriptions", () => {
  const s = session();
  s.logLevel = "warning";
  s.subscriptions.add("b://2");
  s.subscriptions.add("a://1");
  const state = snapshot(s);
  assert.deepEqual(state.caller, { method: "api-key", subject: "alice" });
  assert.deepEqual(state.subscriptions, ["a://1", "b://2"]);
  assert.equal(state.server, null);
  assert.deepEqual(decodeState(encodeState(state)), state);
});

test("unreadable or foreign stored text is no state; an unknown log level is dropped", () => {
  assert.equal(decodeState("not json"), undefined);
  assert.equal(decodeState(JSON.stringify({ protocolVersion: 1 })), undefined);
  const state = { ...snapshot(session()), logLevel: "loud" };
  assert.equal(decodeState(JSON.stringify(state))?.logLevel, undefined);
});

test("changes bring a local copy to the stored state, and nothing when it matches", () => {
  const local = session();
  local.subscriptions.add("keep://1");
  local.subscriptions.add("gone://2");
  const stored = {
    ...snapshot(local),
    logLevel: "error" as const,
    subscriptions: ["keep://1", "new://3"],
  };
  assert.deepEqual(changesFor(local, stored), {
    logLevel: "error",
    subscribe: ["new://3"],
    unsubscribe: ["gone://2"],
  });
  assert.deepEqual(changesFor(local, snapshot(local)), {
    logLevel: undefined,
    subscribe: [],
    unsubscribe: [],
  });
});
