/**
 * The webhook receiver every HTTP-delivering contender posts to: a JSON array
 * per request, each item a change event (`after.ts_ms`) or a bare row (`ts_ms`).
 * Rows are counted into whichever tally the current phase set.
 *
 * The body is not parsed: the receiver shares the machine's two cores with
 * PostgreSQL and the contender, and JSON.parse of every body cost it more
 * CPU than some contenders spend per row. It scans the raw bytes for each
 * `"ts_ms":` member instead (the bench table's only column of that name,
 * one per row in every contender's format), which costs the same for every
 * contender, like the floor's line scan of pg_recvlogical's output.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Tally } from "./tally.ts";

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

const MEMBER = '"ts_ms":';

/** Every `"ts_ms":` value in `body` (a number, or a number in quotes), in order. */
export function scanTimestamps(body: Buffer, each: (tsMs: number) => void): number {
  const text = body.toString("latin1");
  let found = 0;
  let at = text.indexOf(MEMBER);
  while (at !== -1) {
    let start = at + MEMBER.length;
    if (text.charCodeAt(start) === 0x22) start++;
    const ts = Number.parseFloat(text.slice(start, start + 32));
    if (Number.isFinite(ts)) {
      each(ts);
      found++;
    }
    at = text.indexOf(MEMBER, start);
  }
  return found;
}

/** `current` names the phase's tally (undefined between phases: rows are then ignored). */
export async function startReceiver(current: () => Tally | undefined): Promise<Receiver> {
  const receiver: Receiver = { url: "", close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const tally = current();
      if (body[0] !== 0x5b && body[0] !== 0x7b) {
        res.writeHead(400).end();
        return;
      }
      scanTimestamps(body, (ts) => tally?.add(ts));
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
