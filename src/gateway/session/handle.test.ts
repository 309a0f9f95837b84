import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { SessionHandles } from "./handle.ts";

const SECRET = "a-test-secret-of-at-least-32-characters";

test("an id minted with the secret verifies; the same id under another secret does not", () => {
  const handles = new SessionHandles(SECRET);
  const id = handles.mint();
  assert.match(id, /^[\x21-\x7e]+$/, "session ids are visible ASCII (MCP spec)");
  assert.equal(handles.verify(id), true);
  assert.equal(new SessionHandles(`${SECRET}-other`).verify(id), false);
  assert.notEqual(handles.mint(), id);
});

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

test("any change to a valid id is refused", () => {
  const handles = new SessionHandles(SECRET);
  const id = handles.mint();
  // Each part's last character also carries padding bits, so only the others are changed.
  const positions = [...Array(21).keys(), ...Array.from({ length: 21 }, (_, i) => 23 + i)];
  fc.assert(
    fc.property(fc.constantFrom(...positions), fc.constantFrom(...ALPHABET), (at, char) => {
      fc.pre(id[at] !== char);
      assert.equal(handles.verify(`${id.slice(0, at)}${char}${id.slice(at + 1)}`), false);
    }),
  );
});

test("random text, UUIDs and empty ids are refused", () => {
  const handles = new SessionHandles(SECRET);
  assert.equal(handles.verify(""), false);
  assert.equal(handles.verify("3b241101-e2bb-4255-8caf-4136c566a962"), false);
  fc.assert(fc.property(fc.string(), (text) => assert.equal(handles.verify(text), false)));
});
