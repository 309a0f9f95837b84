/**
 * WAL positions (LSNs). PostgreSQL prints them as two hex halves ("16/B374D848");
 * in memory they are bigints so they compare and subtract exactly.
 */
export type Lsn = bigint;

export const ZERO_LSN: Lsn = 0n;

/** "16/B374D848" → 0x16B374D848n. @throws TypeError naming the bad text. */
export function parseLsn(text: string): Lsn {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (match === null)
    throw new TypeError(
      `not a WAL position (expected like "16/B374D848"): ${JSON.stringify(text)}`,
    );
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** 0x16B374D848n → "16/B374D848", the form pg_current_wal_lsn() prints. */
export function formatLsn(lsn: Lsn): string {
  const high = (lsn >> 32n).toString(16).toUpperCase();
  const low = (lsn & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

export function maxLsn(a: Lsn, b: Lsn): Lsn {
  return a > b ? a : b;
}

export function minLsn(a: Lsn, b: Lsn): Lsn {
  return a < b ? a : b;
}
