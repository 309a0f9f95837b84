/**
 * Zod schemas for single values. Each one says what it expects in words a
 * user understands; the formatter adds what was found. Numbers, booleans and
 * durations also accept strings, because `${VAR}` always produces a string.
 */
import { z } from "zod";
import { parseDuration, parseSize } from "./units.ts";

/** A value read by `read`, or an issue "expected <expected>" when it returns undefined. */
export function field<T>(expected: string, read: (value: unknown) => T | undefined) {
  return z.unknown().transform((value, ctx): T => {
    const out = read(value);
    if (out !== undefined) return out;
    ctx.addIssue({ code: "custom", message: `expected ${expected}`, input: value });
    return z.NEVER;
  });
}

export const nonEmpty = field("a non-empty string", (value) =>
  typeof value === "string" && value.trim() !== "" ? value : undefined,
);

export const stringList = z.array(z.string());
export const stringMap = z.record(z.string(), z.string());

export function integer(min: number, max: number) {
  return field(`an integer from ${min} to ${max}`, (value) => {
    const number = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
    return typeof number === "number" && Number.isInteger(number) && number >= min && number <= max
      ? number
      : undefined;
  });
}

export const flag = field("true or false", (value) => {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return undefined;
});

export function duration(minMs: number) {
  const floor = minMs > 0 ? ` of at least ${minMs}ms` : "";
  return field(
    `a duration${floor} such as "30s", "500ms", "2m", "1h" or a number of milliseconds`,
    (value) => {
      const ms = parseDuration(value);
      return ms !== undefined && ms >= minMs ? ms : undefined;
    },
  );
}

export const size = field(
  'a size such as "4mb", "512kb" or a number of bytes (at least 1kb)',
  (value) => {
    const bytes = parseSize(value);
    return bytes !== undefined && bytes >= 1024 ? bytes : undefined;
  },
);

export const httpUrl = field("an absolute http:// or https:// URL", (value) => {
  if (typeof value !== "string" || !URL.canParse(value)) return undefined;
  const protocol = new URL(value).protocol;
  return protocol === "http:" || protocol === "https:" ? value : undefined;
});

export type TransportName = "stdio" | "streamable-http" | "sse";

/** `http` and `streamable-http` are one transport; `streamableHttp` is how Cline spells it. */
export function transportName(value: unknown): TransportName | undefined {
  if (typeof value !== "string") return undefined;
  const name = value.trim().toLowerCase();
  if (name === "stdio" || name === "sse") return name;
  if (name === "http" || name === "streamable-http" || name === "streamablehttp")
    return "streamable-http";
  return undefined;
}

export const transport = field(
  'one of "stdio", "streamable-http" (or "http"), "sse"',
  transportName,
);
