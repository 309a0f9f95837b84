/** A flow after validation and defaults: what the engine builder receives. */
import type { TableSelection } from "../capture/api.ts";

export type WalPolicy = "alert" | "pause";

/** Where checkpoints, backfill progress and flow status are kept. */
export type StateLocation =
  | { kind: "postgres"; connectionString: string; schema: string }
  | { kind: "file"; dir: string };

/** One transform or sink as written: its kind (`webhook`, `filter`, …) and its options, unvalidated. */
export interface PartSpec {
  kind: string;
  options: unknown;
  /** Where the options sit in sophia.yaml, so their validation errors point there. */
  path: (string | number)[];
}

export interface SinkSpec extends PartSpec {
  name: string;
}

/** Distributed mode: where capture publishes and workers consume. */
export interface DistributedSpec {
  servers: string[];
  /** JetStream stream (default `SOPHIA_<FLOW>`). */
  stream: string;
  /** Subjects are `<subjectPrefix>.<schema>.<table>.<op>` (default `sophia.<flow>`). */
  subjectPrefix: string;
  maxAckPending: number;
  ackWaitMs: number;
  standbyPollMs: number;
}

export interface FlowSpec {
  name: string;
  source: {
    connectionString: string;
    tables: TableSelection[];
    slot: string;
    publication: string;
  };
  transforms: PartSpec[];
  sinks: SinkSpec[];
  batch: { size: number; maxWaitMs: number };
  /** Batches waiting per sink before capture is slowed down. */
  queueBatches: number;
  heartbeatMs: number;
  walBudget: { maxBytes: number | undefined; policy: WalPolicy; checkEveryMs: number };
  state: StateLocation;
  /** Tables copied the first time the flow runs (`backfill: true` or `snapshot: initial`). */
  backfill: { tables: string[]; chunkSize: number };
  distributed: DistributedSpec | undefined;
}
