import type { RequestContext } from "../http/request-context.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { ClientRequests } from "../session/client-requests.ts";
import type { MessageSink } from "../session/message-sink.ts";
import type { Session } from "../session/session.ts";
import type { CallContext, CallOutcome } from "../upstream/types.ts";
import { logPasses } from "./protocol.ts";

/**
 * Builds the context that ties an upstream call to the client that made it:
 * progress and logging go to the request's own stream, relayed requests go to
 * this client and no other, and the client's cancellation reaches upstream.
 */
export function callContext(
  session: Session,
  sink: MessageSink,
  signal: AbortSignal,
  clientRequests: ClientRequests,
  request: RequestContext | undefined,
): CallContext {
  return {
    signal,
    request,
    onNotification(notification) {
      if (
        notification.method === "notifications/message" &&
        !logPasses(notification.params?.level, session.logLevel)
      )
        return;
      if (sink.open) sink.send(notification);
      else session.sendUnscoped(notification);
    },
    onServerRequest(
      method: string,
      params: Params | undefined,
      requestSignal: AbortSignal,
    ): Promise<CallOutcome> {
      return clientRequests.send(session, sink, method, params, requestSignal);
    },
  };
}
