import type { RequestContext } from "../http/request-context.ts";
import type { JsonRpcNotification, Params } from "../jsonrpc/messages.ts";
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
  rename?: (notification: JsonRpcNotification) => JsonRpcNotification,
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
      const out = rename ? rename(notification) : notification;
      if (sink.open) sink.send(out);
      else session.sendUnscoped(out);
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
