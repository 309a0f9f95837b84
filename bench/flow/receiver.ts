/**
 * The webhook receiver every HTTP-delivering contender posts to: a JSON array
 * per request, each item a change event (`after.ts_ms`) or a bare row (`ts_ms`).
 * Rows are counted into whichever tally the current phase set.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Tally } from "./tally.ts";

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

function tsOf(item: unknown): number | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const record = item as { ts_ms?: unknown; after?: { ts_ms?: unknown } | null };
  const ts = record.after?.ts_ms ?? record.ts_ms;
  return typeof ts === "number" ? ts : typeof ts === "string" ? Number(ts) : undefined;
}

/** `current` names the phase's tally (undefined between phases: rows are then ignored). */
export async function startReceiver(current: () => Tally | undefined): Promise<Receiver> {
  const receiver: Receiver = { url: "", close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
        const items = Array.isArray(body) ? body : [body];
        for (const item of items) {
          const ts = tsOf(item);
          if (ts !== undefined) current()?.add(ts);
        }
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
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
