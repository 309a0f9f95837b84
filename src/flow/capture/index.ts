/** Capture: PostgreSQL logical replication (pgoutput) → ordered, back-pressured change batches. */
export type { CaptureOptions, CaptureStream, SlotStatus, TableSelection } from "./api.ts";
export type { BackfillOptions, BackfillProgress } from "./backfill.ts";
export { openCapture } from "./open.ts";
export type { Capture } from "./stream.ts";
