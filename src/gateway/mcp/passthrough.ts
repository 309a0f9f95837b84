import type { Params } from "../jsonrpc/messages.ts";
import type { Session } from "../session/session.ts";
import type { CallContext, CallOutcome, Upstream } from "../upstream/types.ts";
import type { Forwarder } from "./forwarder.ts";

/**
 * Methods of `/servers/<name>/mcp`: one upstream, names as it has them. Every
 * method goes through unchanged except those that touch state the upstream
 * shares with other clients (subscriptions, log level) and `ping`, which the
 * gateway answers itself.
 */
export function handlePassthrough(
  upstream: Upstream,
  forward: Forwarder,
  session: Session,
  method: string,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  switch (method) {
    case "ping":
      return Promise.resolve({ result: {} });
    case "tools/call":
      return forward.tool(
        upstream,
        typeof params?.name === "string" ? params.name : "",
        params ?? {},
        context,
      );
    case "resources/subscribe":
    case "resources/unsubscribe":
      return forward.subscription(session, upstream, method, String(params?.uri));
    case "logging/setLevel":
      return forward.setLogLevel(session, params, upstream);
    default:
      return forward.call(upstream, method, params, context);
  }
}
