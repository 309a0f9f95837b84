/** JetStream payloads back into change events: the inverse of the sinks' eventToJson. */
import { SophiaError } from "../../shared/errors.ts";
import type { ChangeEvent, Operation, Row } from "../events.ts";
import { parseLsn } from "../lsn.ts";
import type { EventJson } from "../sinks/index.ts";

const OPS: readonly Operation[] = ["insert", "update", "delete", "truncate", "read"];

const isRow = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

export function eventFromJson(value: unknown, where: string): ChangeEvent {
  const json = value as Partial<EventJson>;
  if (
    !isRow(value) ||
    !OPS.includes(json.op as Operation) ||
    typeof json.schema !== "string" ||
    typeof json.table !== "string" ||
    typeof json.commitLsn !== "string" ||
    typeof json.seq !== "number" ||
    !isRow(json.key)
  )
    throw new SophiaError("FLOW_PROTOCOL", `${where}: not a Sophia change event`, {
      hint: "only sophia flow capture should publish on the flow's subjects",
    });
  const event: ChangeEvent = {
    op: json.op as Operation,
    key: json.key,
    before: isRow(json.before) ? json.before : null,
    after: isRow(json.after) ? json.after : null,
    source: {
      schema: json.schema,
      table: json.table,
      commitLsn: parseLsn(json.commitLsn),
      seq: json.seq,
      txId: typeof json.txId === "number" ? json.txId : 0,
      commitTimeMs: typeof json.commitTime === "string" ? Date.parse(json.commitTime) : 0,
    },
  };
  if (isRow(json.previousKey)) event.previousKey = json.previousKey;
  if (Array.isArray(json.unchanged)) event.unchanged = json.unchanged;
  if (Array.isArray(json.chunks)) event.chunks = json.chunks;
  if (json.chunksUnchanged === true) event.chunksUnchanged = true;
  return event;
}
