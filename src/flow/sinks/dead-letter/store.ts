/**
 * Dead letters: webhook requests the receiver refused for good (a 4xx other
 * than 408/429) or that kept failing until retries ran out. They are kept,
 * listed, replayed (same body, same idempotency key) or dropped by an operator
 * with `sophia flow dlq list|replay|drop`.
 */
import type { EventJson } from "../shared/event-json.ts";

export interface DeadLetter {
  id: string;
  flow: string;
  sink: string;
  /** ISO time the letter was stored. */
  createdAt: string;
  idempotencyKey: string;
  /** Why delivery stopped: "HTTP 400: <start of body>" or "retries exhausted: …". */
  reason: string;
  attempts: number;
  events: EventJson[];
}

export type NewDeadLetter = Omit<DeadLetter, "id" | "createdAt">;

export interface DeadLetterFilter {
  flow?: string;
  sink?: string;
  /** At most this many, oldest first (default 100). */
  limit?: number;
}

export interface DeadLetterStore {
  /** Creates the table or file when missing; safe to call again. */
  start(): Promise<void>;
  /** Durable once it resolves. */
  add(letter: NewDeadLetter): Promise<DeadLetter>;
  list(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Removes these letters; returns how many existed. */
  drop(ids: string[]): Promise<number>;
  stop(): Promise<void>;
}
