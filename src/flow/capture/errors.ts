/** Which replication failures end the stream and which are worth a reconnect. */
import { isSophiaError, SophiaError } from "../../shared/errors.ts";
import { slotInUse } from "./slot.ts";
import { quoteLiteral } from "./sql.ts";

/** PostgreSQL's answer to START_REPLICATION or a dropped connection → a fatal SophiaError, or undefined to retry. */
export function fatalReplicationError(
  error: unknown,
  slot: string,
  firstAttempt: boolean,
): SophiaError | undefined {
  if (isSophiaError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "55006" && firstAttempt)
    return slotInUse(slot, /PID (\d+)/.exec(message)?.[1] ?? "unknown");
  if (code === "42704")
    return new SophiaError(
      "FLOW_SOURCE_NOT_READY",
      `replication slot ${slot} does not exist (${message})`,
      {
        hint: "it was dropped while the flow ran; restart the flow to create it, then run: sophia flow backfill <flow>",
      },
    );
  if (code === "55000" && /no longer|invalidated/i.test(message))
    return new SophiaError(
      "FLOW_SLOT_INVALIDATED",
      `replication slot ${slot} was invalidated: ${message}`,
      {
        hint: `drop it and copy the tables again: SELECT pg_drop_replication_slot(${quoteLiteral(slot)}); then run: sophia flow backfill <flow>`,
      },
    );
  if (code === "42501" || code === "28000" || code === "28P01" || code === "3D000")
    return new SophiaError(
      "FLOW_SOURCE_NOT_READY",
      `the source refused the replication connection: ${message}`,
      {
        hint: "check the connection string's role and database, and that the role has REPLICATION",
      },
    );
  return undefined;
}
