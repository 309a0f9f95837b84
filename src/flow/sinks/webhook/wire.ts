/**
 * The webhook body, written straight from the change events: the same bytes
 * as `JSON.stringify(events.map(eventToJson))` (the shared event JSON, same
 * keys in the same order), without building an EventJson object per event.
 * Each event is one template string: the per-transaction parts (id prefix,
 * commit LSN, commit time) are formatted once per transaction, and only the
 * rows (key, before, after) go through JSON.stringify. An event whose fields
 * are not the plain types capture produces (a transform put something else
 * there) takes the shared eventToJson path, so its text stays exactly that.
 */
import type { ChangeEvent, Row } from "../../events.ts";
import { formatLsn, type Lsn } from "../../lsn.ts";
import { eventToJson, stringify } from "../shared/event-json.ts";

/** JSON text of `value`; a value holding a bigint (from a user's transform) takes the bigint-safe path. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof TypeError) return stringify(value);
    throw error;
  }
}

const OPS: Record<string, string> = {
  insert: '"insert"',
  update: '"update"',
  delete: '"delete"',
  truncate: '"truncate"',
  read: '"read"',
};

/** What the events of one transaction of one table share. */
interface Shared {
  schema: string;
  table: string;
  commitLsn: Lsn;
  commitTimeMs: number;
  /** `{"id":"<schema>.<table>:<lsn hex>:` — the event's seq and closing quote follow. */
  idStart: string;
  /** `,"schema":…,"table":…,"key":` */
  middle: string;
  /** `,"commitLsn":"…","seq":` */
  lsnPart: string;
  /** `"commitTime":"…"` */
  timePart: string;
}

function sharedFor(event: ChangeEvent, last: Shared | undefined): Shared {
  const { schema, table, commitLsn, commitTimeMs } = event.source;
  if (
    last !== undefined &&
    last.commitLsn === commitLsn &&
    last.commitTimeMs === commitTimeMs &&
    last.table === table &&
    last.schema === schema
  )
    return last;
  const id = JSON.stringify(`${schema}.${table}:${commitLsn.toString(16)}:`);
  return {
    schema,
    table,
    commitLsn,
    commitTimeMs,
    idStart: `{"id":${id.slice(0, -1)}`,
    middle: `,"schema":${JSON.stringify(schema)},"table":${JSON.stringify(table)},"key":`,
    lsnPart: `,"commitLsn":"${formatLsn(commitLsn)}","seq":`,
    timePart: `"commitTime":"${new Date(commitTimeMs).toISOString()}"`,
  };
}

function isRow(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when the fast template writes exactly what eventToJson + JSON.stringify would. */
function plain(event: ChangeEvent): boolean {
  const { source } = event;
  return (
    OPS[event.op] !== undefined &&
    isRow(event.key) &&
    (event.before === null || isRow(event.before)) &&
    (event.after === null || isRow(event.after)) &&
    typeof source.schema === "string" &&
    typeof source.table === "string" &&
    typeof source.commitLsn === "bigint" &&
    Number.isSafeInteger(source.seq) &&
    typeof source.txId === "number" &&
    Number.isFinite(source.txId) &&
    typeof source.commitTimeMs === "number"
  );
}

function rowText(row: Row | null): string {
  return row === null ? "null" : jsonText(row);
}

/** The optional members, in eventToJson's order (after commitTime). */
function tail(event: ChangeEvent): string {
  let out = "";
  if (event.previousKey !== undefined) out += `,"previousKey":${jsonText(event.previousKey)}`;
  if (event.unchanged !== undefined && event.unchanged.length > 0)
    out += `,"unchanged":${jsonText(event.unchanged)}`;
  if (event.chunks !== undefined) out += `,"chunks":${jsonText(event.chunks)}`;
  if (event.chunksUnchanged === true) out += `,"chunksUnchanged":true`;
  return out;
}

/** Writes events one after the other, keeping the per-transaction strings between calls. */
export class EventWriter {
  #shared: Shared | undefined;

  /** The JSON text of one event. */
  text(event: ChangeEvent): string {
    if (!plain(event)) return jsonText(eventToJson(event));
    const s = sharedFor(event, this.#shared);
    this.#shared = s;
    const { seq, txId } = event.source;
    const optional =
      event.previousKey === undefined &&
      event.unchanged === undefined &&
      event.chunks === undefined &&
      event.chunksUnchanged === undefined
        ? ""
        : tail(event);
    return `${s.idStart}${seq}","op":${OPS[event.op]}${s.middle}${rowText(event.key)},"before":${rowText(event.before)},"after":${rowText(event.after)}${s.lsnPart}${seq},"txId":${txId},${s.timePart}${optional}}`;
  }
}

/** Events written per string: each stays small (young, cheap to collect, cheap to flatten). */
const SLICE = 64;

/**
 * The JSON array of `events` as UTF-8 bytes. Built from slices so no
 * request-sized string is made: strings that large live in V8's old
 * generation until a full collection, and flattening one costs more than
 * writing it.
 */
export function eventsBody(events: readonly ChangeEvent[], writer = new EventWriter()): Buffer {
  return joinBody(events.length, (i) => writer.text(events[i] as ChangeEvent));
}

/** The JSON array of already written event texts, as UTF-8 bytes. */
export function textsBody(texts: readonly string[]): Buffer {
  return joinBody(texts.length, (i) => texts[i] as string);
}

function joinBody(count: number, textAt: (i: number) => string): Buffer {
  const parts: string[] = [];
  let bytes = 2 + Math.max(0, Math.ceil(count / SLICE) - 1);
  const texts: string[] = [];
  for (let start = 0; start < count; start += SLICE) {
    const end = Math.min(count, start + SLICE);
    texts.length = 0;
    for (let i = start; i < end; i++) texts.push(textAt(i));
    const part = texts.join(",");
    parts.push(part);
    bytes += Buffer.byteLength(part);
  }
  const out = Buffer.allocUnsafe(bytes);
  let at = out.write("[", 0, "latin1");
  parts.forEach((part, n) => {
    if (n > 0) at += out.write(",", at, "latin1");
    at += out.write(part, at);
  });
  out.write("]", at, "latin1");
  return out;
}
