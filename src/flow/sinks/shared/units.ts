/** Zod fields for durations and sizes written as text ("5s", "1mb") in sink options. */
import { z } from "zod";
import { parseDuration, parseSize } from "../../../config/index.ts";

const text = z.union([z.string(), z.number()]);

/** A duration ("500ms", "5s", 1500); parsed to milliseconds. */
export function duration(fallback: string) {
  return text.default(fallback).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "500ms", "5s" or "2m"' });
    return z.NEVER;
  });
}

/** A byte size ("512kb", "1mb", 4096); parsed to bytes. */
export function size(fallback: string) {
  return text.default(fallback).transform((value, ctx) => {
    const bytes = parseSize(value);
    if (bytes !== undefined && bytes > 0) return bytes;
    ctx.addIssue({ code: "custom", message: 'expected a size such as "512kb" or "1mb"' });
    return z.NEVER;
  });
}

/** A SQL identifier as configured (schema or table name). */
export const identifier = z.string().min(1).max(63);
