/** Deepest nesting the gateway accepts in a JSON-RPC body; real MCP messages stay far below it. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a JSON text nests objects/arrays deeper than `limit`, found by one
 * pass over the bytes before parsing, so a hostile `[[[[…` body never reaches
 * the recursive code (validation, forwarding, logging) that would overflow.
 */
export function nestsDeeperThan(body: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > limit) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}
