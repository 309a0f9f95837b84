import assert from "node:assert/strict";
import { test } from "node:test";
import {
  cancelsElsewhere,
  foreignOwner,
  foreignStateError,
  parkedStatePrefix,
} from "./parked-owner.ts";

const A = "0123456789ab";
const B = "ba9876543210";

function retry(requestState: unknown) {
  return { jsonrpc: "2.0" as const, id: 1, method: "tools/call", params: { requestState } };
}

test("a requestState parked on another instance names its owner; ours and foreign formats do not", () => {
  const state = `${parkedStatePrefix(A)}3b241101-e2bb-4255-8caf-4136c566a962`;
  assert.equal(foreignOwner(retry(state), B), A);
  assert.equal(foreignOwner(retry(state), A), undefined);
  assert.equal(foreignOwner(retry("3b241101-e2bb-4255-8caf-4136c566a962"), B), undefined);
  assert.equal(foreignOwner(retry(42), B), undefined);
  assert.equal(
    foreignOwner({ jsonrpc: "2.0", method: "x", params: { requestState: state } }, B),
    undefined,
  );
});

test("the error names both instances and says what to do", () => {
  const error = foreignStateError(A, B);
  assert.equal(error.code, -32602);
  assert.match(error.message, new RegExp(`instance ${A}.*instance ${B}`));
  assert.match(error.message, /without requestState/);
});

test("a cancel is relayed only when its request does not run here", () => {
  const cancel = (requestId: unknown) => ({
    jsonrpc: "2.0" as const,
    method: "notifications/cancelled",
    params: { requestId },
  });
  assert.equal(cancelsElsewhere(cancel(5), new Map([[5, 1]])), false);
  assert.equal(cancelsElsewhere(cancel(6), new Map([[5, 1]])), true);
  assert.equal(cancelsElsewhere(cancel(undefined), new Map()), false);
  assert.equal(
    cancelsElsewhere({ jsonrpc: "2.0", method: "notifications/initialized" }, new Map()),
    false,
  );
});
