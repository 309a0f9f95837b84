import type { AuditSink } from "../../src/gateway/audit/queue.ts";

/** An audit sink whose writes wait until `release()`; `written` holds the record names in write order. */
export function gatedSink(): { sink: AuditSink; written: string[]; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const written: string[] = [];
  const sink: AuditSink = {
    kind: "file",
    write: async (batch) => {
      await gate;
      written.push(...batch.map((r) => r.name));
    },
    close: async () => {},
  };
  return { sink, written, release };
}
