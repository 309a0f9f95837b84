/** What to do about the slot's retained WAL: a pure decision from one status reading. */
import type { SlotStatus } from "../capture/api.ts";
import type { WalPolicy } from "../config/types.ts";

export type WalVerdict = "ok" | "over-budget" | "invalidated";

export function walVerdict(status: SlotStatus, maxBytes: number | undefined): WalVerdict {
  if (status.walStatus === "lost") return "invalidated";
  if (maxBytes !== undefined && status.retainedBytes > BigInt(maxBytes)) return "over-budget";
  return "ok";
}

/** With policy `pause`, an over-budget slot detaches the sink holding it back (see docs/flow.md). */
export function shouldDetach(verdict: WalVerdict, policy: WalPolicy): boolean {
  return verdict === "over-budget" && policy === "pause";
}
