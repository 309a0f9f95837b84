import { changedFields, type PinnedField, type ToolDigest, toolDigest } from "./digest.ts";

/** One tool's pin: the approved definition and, when it changed since, the new one. */
export interface Pin extends ToolDigest {
  approvedAt: string;
  pending?: ToolDigest & { seenAt: string; changed: PinnedField[] };
}

/** The pin file's content: `<server>/<tool>` → pin. */
export interface Pins {
  version: 1;
  tools: Record<string, Pin>;
}

export interface Change {
  readonly key: string;
  readonly changed: readonly PinnedField[];
}

export function pinKey(server: string, tool: string): string {
  return `${server}/${tool}`;
}

/**
 * Compares a server's current tools with the pins (pure). A tool seen for the
 * first time is pinned as it is (trust on first use); a tool whose definition
 * differs from its approved pin gets a pending entry; a tool back to its
 * approved definition loses its pending entry. Returns the new pins (the same
 * object when nothing changed) and the changes seen for the first time.
 */
export function reconcile(
  pins: Pins,
  server: string,
  tools: readonly Readonly<Record<string, unknown>>[],
  now: string,
): { pins: Pins; fresh: Change[] } {
  let next: Pins | undefined;
  const fresh: Change[] = [];
  const set = (key: string, pin: Pin) => {
    next ??= { version: 1, tools: { ...pins.tools } };
    next.tools[key] = pin;
  };
  for (const tool of tools) {
    const key = pinKey(server, String(tool.name));
    const digest = toolDigest(tool);
    const pin = pins.tools[key];
    if (!pin) {
      set(key, { ...digest, approvedAt: now });
    } else if (pin.sha256 === digest.sha256) {
      if (pin.pending) set(key, withoutPending(pin));
    } else if (pin.pending?.sha256 !== digest.sha256) {
      const changed = changedFields(pin, digest);
      set(key, { ...pin, pending: { ...digest, seenAt: now, changed } });
      fresh.push({ key, changed });
    }
  }
  return { pins: next ?? pins, fresh };
}

/** Approves pending definitions: every one (`keys` undefined) or those listed. Returns the keys approved. */
export function approve(
  pins: Pins,
  keys: readonly string[] | undefined,
  now: string,
): { pins: Pins; approved: string[] } {
  const tools = { ...pins.tools };
  const approved: string[] = [];
  for (const [key, pin] of Object.entries(tools)) {
    if (!pin.pending || (keys && !keys.includes(key))) continue;
    const { seenAt: _seen, changed: _changed, ...digest } = pin.pending;
    tools[key] = { ...digest, approvedAt: now };
    approved.push(key);
  }
  return { pins: { version: 1, tools }, approved };
}

/** Keys whose definition changed and is not approved yet. */
export function pendingChanges(pins: Pins): Change[] {
  return Object.entries(pins.tools)
    .filter(([, pin]) => pin.pending !== undefined)
    .map(([key, pin]) => ({ key, changed: pin.pending?.changed ?? [] }));
}

function withoutPending(pin: Pin): Pin {
  const { pending: _pending, ...rest } = pin;
  return rest;
}

export const EMPTY_PINS: Pins = { version: 1, tools: {} };
