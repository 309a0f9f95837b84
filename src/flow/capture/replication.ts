/**
 * One replication connection: START_REPLICATION on a `pg` Client opened with
 * replication=database. Before the command is sent, the socket's bytes are
 * taken over by a CopyFramer: CopyData goes straight to capture, everything
 * else to the client's own parser. Standby status updates go out as CopyData
 * frames we build ourselves.
 */
import type { EventEmitter } from "node:events";
import pg from "pg";
import { formatLsn, type Lsn } from "../lsn.ts";
import { CopyFramer } from "./copy-framer.ts";
import { encodeStatusUpdate } from "./framing.ts";
import { quoteIdent, quoteLiteral } from "./sql.ts";

export interface ReplicationTarget {
  connectionString: string;
  slot: string;
  publication: string;
}

export interface ReplicationSession {
  /** Stop / start reading from the socket (back-pressure: the server holds the rest). */
  pause(): void;
  resume(): void;
  sendStatus(flushed: Lsn, nowMs: number): void;
  /** Settles when the stream ends: resolves after stop(), rejects when the connection fails. */
  readonly ended: Promise<void>;
  /** CopyDone, wait briefly for the server's answer, close. */
  stop(flushed: Lsn): Promise<void>;
  readonly backendPid: number;
}

interface RawConnection {
  stream: NodeJS.ReadWriteStream & {
    pause(): void;
    resume(): void;
    writable: boolean;
    destroy(error?: Error): void;
  };
  on(event: "copyData", listener: (message: { chunk: Buffer }) => void): void;
  once(event: "replicationStart", listener: () => void): void;
}

/** The CopyData payload is `buf[start, end)`; valid only during the call. */
export type OnCopyData = (buf: Buffer, start: number, end: number) => void;

/** Text output the value parsers expect, whatever the server's defaults. */
const SESSION_OPTIONS =
  "-c DateStyle=ISO -c TimeZone=UTC -c extra_float_digits=3 -c IntervalStyle=iso_8601";

export async function startReplication(
  target: ReplicationTarget,
  startLsn: Lsn,
  onData: OnCopyData,
): Promise<ReplicationSession> {
  const config = {
    connectionString: withSessionOptions(target.connectionString),
    replication: "database",
  };
  const client = new pg.Client(config as pg.ClientConfig);
  client.on("error", () => {}); // surfaced through the START_REPLICATION query's rejection
  await client.connect();
  const connection = (client as unknown as { connection: RawConnection }).connection;
  const backendPid = (client as unknown as { processID: number }).processID;
  let stopping = false;
  const deliver: OnCopyData = (buf, start, end) => {
    if (!stopping) onData(buf, start, end);
  };
  if (!takeOverCopyData(connection, deliver))
    connection.on("copyData", (message) => deliver(message.chunk, 0, message.chunk.length));
  const started = new Promise<void>((resolve) => connection.once("replicationStart", resolve));
  const sql = `START_REPLICATION SLOT ${quoteIdent(target.slot)} LOGICAL ${formatLsn(startLsn)} (proto_version '1', publication_names ${quoteLiteral(quoteIdent(target.publication))}, messages 'true')`;
  const ended = client.query(sql).then(() => undefined);
  try {
    await Promise.race([started, ended]);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  ended.catch(() => {});
  const write = (payload: Buffer): void => {
    if (connection.stream.writable) connection.stream.write(copyData(payload));
  };
  return {
    backendPid,
    ended,
    pause: () => connection.stream.pause(),
    resume: () => connection.stream.resume(),
    sendStatus: (flushed, nowMs) => write(encodeStatusUpdate(flushed, nowMs)),
    async stop(flushed) {
      write(encodeStatusUpdate(flushed, Date.now()));
      stopping = true;
      connection.stream.resume();
      if (connection.stream.writable) connection.stream.write(COPY_DONE);
      await Promise.race([ended.catch(() => {}), delay(2000)]);
      await client.end().catch(() => {});
    },
  };
}

/**
 * Puts a CopyFramer in front of the client's parser (its one 'data' listener
 * on the socket). Done while the connection is idle after connecting, so the
 * client's parser holds no partial message. False, leaving the client's own
 * 'copyData' events in use, when the socket does not look as expected (a
 * `pg` version that reads it another way).
 */
function takeOverCopyData(connection: RawConnection, onData: OnCopyData): boolean {
  const stream = connection.stream as unknown as EventEmitter;
  const listeners = stream.listeners("data");
  if (listeners.length !== 1) return false;
  const clientParser = listeners[0] as (chunk: Buffer) => void;
  const framer = new CopyFramer(onData, clientParser);
  stream.removeListener("data", clientParser);
  stream.on("data", (chunk: Buffer) => {
    try {
      framer.push(chunk);
    } catch (error) {
      // A framing error: the connection fails and capture reconnects from the acknowledged position.
      connection.stream.destroy(error as Error);
    }
  });
  return true;
}

/** Our options go first in the URL's `options`, so the user's own settings (a wal_sender_timeout) still apply. */
export function withSessionOptions(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const own = url.searchParams.get("options");
    url.searchParams.set("options", own === null ? SESSION_OPTIONS : `${SESSION_OPTIONS} ${own}`);
    return url.toString();
  } catch {
    return connectionString;
  }
}

const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

function copyData(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(5 + payload.length);
  frame[0] = 0x64; // d
  frame.writeUInt32BE(4 + payload.length, 1);
  payload.copy(frame, 5);
  return frame;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
