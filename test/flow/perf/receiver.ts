/**
 * A webhook receiver for the perf tests (127.0.0.1): checks that events with
 * ids 1..N arrive in order, each at least once (a redelivered run of ids
 * already seen is allowed; a gap is an error).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface OrderedReceiver {
  url: string;
  /** The next id not yet seen: N + 1 once every row arrived. */
  readonly next: number;
  readonly requests: number;
  readonly repeats: number;
  /** Set on the first event out of order (or an unreadable body). */
  readonly error: Error | undefined;
  close(): Promise<void>;
}

export async function startOrderedReceiver(total: number): Promise<OrderedReceiver> {
  const state = { next: 1, requests: 0, repeats: 0, error: undefined as Error | undefined };
  const accept = (id: number) => {
    if (id === state.next) state.next++;
    else if (id < state.next) state.repeats++;
    else state.error ??= new Error(`row ${id} arrived before row ${state.next} (of ${total})`);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      state.requests++;
      try {
        const events = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          key: { id: unknown };
        }[];
        for (const event of events) accept(Number(event.key.id));
        res.writeHead(200).end();
      } catch (error) {
        state.error ??= error as Error;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get next() {
      return state.next;
    },
    get requests() {
      return state.requests;
    },
    get repeats() {
      return state.repeats;
    },
    get error() {
      return state.error;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
