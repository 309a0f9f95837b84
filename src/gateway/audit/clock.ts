let lastMs = Number.NaN;
let lastIso = "";

/**
 * `new Date().toISOString()` formatted at most once per millisecond: under
 * load many audit records share a millisecond, and the text is the same.
 */
export function isoNow(now: number = Date.now()): string {
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
