/**
 * One backfill chunk between its low and high watermarks (the DBLog idea):
 * stream events for the chunk's table seen inside the window win over the
 * chunk's rows; what is left becomes `read` events placed at the high
 * watermark. Pure: the stream feeds it events and the two watermarks.
 */
import type { ChangeEvent, Row } from "../events.ts";

export function keyText(key: Row, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => String(key[c] ?? null)));
}

export class BackfillWindow {
  readonly id: string;
  readonly schema: string;
  readonly table: string;
  readonly keyColumns: readonly string[];
  #open = false;
  #truncated = false;
  readonly #touched = new Set<string>();

  constructor(id: string, schema: string, table: string, keyColumns: readonly string[]) {
    this.id = id;
    this.schema = schema;
    this.table = table;
    this.keyColumns = keyColumns;
  }

  openAtLow(): void {
    this.#open = true;
  }

  /** Every stream event passes here while the window is open. */
  observe(event: ChangeEvent): void {
    if (!this.#open || event.source.schema !== this.schema || event.source.table !== this.table)
      return;
    if (event.op === "truncate") this.#truncated = true;
    this.#touched.add(keyText(event.key, this.keyColumns));
    if (event.previousKey !== undefined)
      this.#touched.add(keyText(event.previousKey, this.keyColumns));
  }

  /** The chunk's rows the stream did not touch inside the window. */
  survivors(rows: Row[]): Row[] {
    if (this.#truncated) return [];
    return rows.filter((row) => !this.#touched.has(keyText(row, this.keyColumns)));
  }
}
