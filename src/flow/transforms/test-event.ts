/**
 * Builds a change event with sensible defaults, for tests of transforms
 * (ours and users' module functions).
 */
import type { ChangeEvent, ChangeSource } from "../events.ts";

export type TestEventInit = Partial<Omit<ChangeEvent, "source">> & {
  source?: Partial<ChangeSource>;
};

export function testEvent(init: TestEventInit = {}): ChangeEvent {
  const { source, ...rest } = init;
  const op = rest.op ?? "insert";
  const after =
    rest.after !== undefined ? rest.after : op === "delete" || op === "truncate" ? null : { id: 1 };
  return {
    op,
    key: rest.key ?? { id: 1 },
    before: rest.before ?? null,
    ...rest,
    after,
    source: {
      schema: "public",
      table: "docs",
      commitLsn: 0x16b374d848n,
      seq: 0,
      txId: 771,
      commitTimeMs: 1_700_000_000_000,
      ...source,
    },
  };
}
