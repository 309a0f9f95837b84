import type { IncomingMessage, ServerResponse } from "node:http";
import { INVALID_REQUEST } from "../jsonrpc/codes.ts";
import type { ReplayBuffer } from "../session/replay-buffer.ts";
import type { Session } from "../session/session.ts";
import { EventStream } from "./event-stream.ts";
import { sendRpcError } from "./respond.ts";
import { SSE_HEADERS } from "./sse.ts";

/**
 * GET on a session with a replay buffer. With a `Last-Event-ID` the buffer
 * still holds, the client takes over that stream (a POST's or the standalone
 * one): missed events first, then live. Without one, or with one that is
 * unknown or expired, it is an ordinary request for the standalone stream:
 * 409 while another connection reads it, else a fresh stream replacing any
 * detached one (whose buffered events are dropped).
 */
export function resumableGet(
  req: IncomingMessage,
  res: ServerResponse,
  session: Session,
  replay: ReplayBuffer,
  headers: Record<string, string>,
): void {
  const lastEventId = req.headers["last-event-id"];
  const found = typeof lastEventId === "string" ? replay.find(lastEventId) : undefined;
  if (found) {
    open(res, headers);
    found.owner.resume(res, found.seq);
    return;
  }
  const current = session.standalone;
  if (current instanceof EventStream ? current.live : current.open) {
    sendRpcError(res, 409, {
      code: INVALID_REQUEST,
      message: "Conflict: this session already has a stream open",
    });
    return;
  }
  if (current instanceof EventStream) current.close();
  open(res, headers);
  session.standalone = new EventStream(replay, res, { standalone: true });
}

function open(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  res.flushHeaders();
}
