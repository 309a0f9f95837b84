/** How arguments appear in the audit log. */
export type Redaction =
  | { mode: "keys" }
  | { mode: "all" }
  | { mode: "none" }
  /** Values at these dotted paths (`password`, `auth.token`, `items.*.secret`) are replaced. */
  | { mode: "paths"; paths: readonly (readonly string[])[] };

export const REDACTED = "[redacted]";

/**
 * Arguments as the audit log records them (pure). The default ("keys") keeps
 * the structure's top-level keys and hides every value: an operator sees what
 * was passed, never the data.
 */
export function redactArguments(args: unknown, redaction: Redaction): unknown {
  if (args === undefined) return undefined;
  switch (redaction.mode) {
    case "none":
      return args;
    case "all":
      return REDACTED;
    case "keys":
      if (typeof args !== "object" || args === null || Array.isArray(args)) return REDACTED;
      return keysOnly(args);
    case "paths":
      return redactPaths(args, redaction.paths);
  }
}

/** Every own key with its value hidden; `__proto__` stays an own key, as JSON.parse made it. */
function keysOnly(args: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(args)) {
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: REDACTED, enumerable: true, writable: true });
    else out[key] = REDACTED;
  }
  return out;
}

function redactPaths(value: unknown, paths: readonly (readonly string[])[]): unknown {
  if (paths.some((path) => path.length === 0)) return REDACTED;
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  for (const key of Object.keys(record)) {
    const rest = paths
      .filter((path) => path[0] === key || path[0] === "*")
      .map((path) => path.slice(1));
    (out as Record<string, unknown>)[key] =
      rest.length === 0 ? record[key] : redactPaths(record[key], rest);
  }
  return out;
}
