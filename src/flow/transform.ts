/** What every transform implements: a batch in, a batch out, order kept. */
import type { ChangeEvent } from "./events.ts";

export interface Transform {
  readonly name: string;
  /**
   * Returns the events to pass on, in order: the same, changed, fewer
   * (filtered) or more. Rejects only for failures worth retrying (an
   * embedding endpoint that is down); bad data is the caller's to report.
   */
  apply(events: ChangeEvent[]): Promise<ChangeEvent[]> | ChangeEvent[];
  stop?(): Promise<void>;
}
