/**
 * Durations and byte sizes as people write them in configuration files.
 * Both accept a plain number (milliseconds / bytes), a digit-only string (what
 * `${VAR}` interpolation produces) or a number with a unit.
 */

/** Node clamps longer timers to 1 ms with a warning, so larger durations are refused. */
export const MAX_DURATION_MS = 2_147_483_647;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;

/** Milliseconds for `1500`, `"1500"`, `"500ms"`, `"30s"`, `"2m"`, `"1h"`, `"1m30s"`; `undefined` if unreadable. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return wholeInRange(value, MAX_DURATION_MS);
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return wholeInRange(Number(text), MAX_DURATION_MS);
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    if (match === null) return undefined;
    total += Number(match[1]) * (DURATION_UNITS[match[2]!] ?? Number.NaN);
  }
  return text.length === 0 ? undefined : wholeInRange(Math.round(total), MAX_DURATION_MS);
}

/** Bytes for `4194304`, `"4194304"`, `"512kb"`, `"4mb"`, `"1.5 MiB"`, `"1g"` (units are powers of 1024). */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === "number") return wholeInRange(value, Number.MAX_SAFE_INTEGER);
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return wholeInRange(Number(text), Number.MAX_SAFE_INTEGER);
  const match = SIZE.exec(text);
  const unit = match === null ? undefined : SIZE_UNITS[match[2]!];
  if (match === null || unit === undefined) return undefined;
  return wholeInRange(Math.floor(Number(match[1]) * unit), Number.MAX_SAFE_INTEGER);
}

function wholeInRange(value: number, max: number): number | undefined {
  return Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
}
