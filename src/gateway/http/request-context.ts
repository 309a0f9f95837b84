import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** What the audit log and tracing need from the HTTP request a call came in on. */
export interface RequestContext {
  readonly requestId: string;
  readonly headers: IncomingMessage["headers"];
  /** Set by tracing: the request's span, for child spans and attributes. */
  span?: unknown;
}

/**
 * Each request's context, kept on the request itself. The HTTP layer hands it
 * to the dispatcher with the call (CallContext.request), so nothing in
 * between has to carry it. An AsyncLocalStorage did that job before: it cost
 * about a tenth of the gateway's throughput at 64 clients, since every
 * promise and callback of a request then carries the store. A symbol-keyed
 * property rather than a WeakMap: no weak table to maintain per request.
 */
const CONTEXT = Symbol("sophia.requestContext");

type WithContext = IncomingMessage & { [CONTEXT]?: RequestContext };

/** The context of `req`; undefined when nothing installed the wrapper (audit and tracing off). */
export function requestContextOf(req: IncomingMessage): RequestContext | undefined {
  return (req as WithContext)[CONTEXT];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Wraps the HTTP handler so calls deep in the pipeline know their request id.
 * The id is fixed here (the router reuses x-request-id), so logs, the audit
 * log and the response header agree. Installed only when audit or tracing is on.
 */
export function withRequestContext(
  handler: Handler,
  around?: (
    context: RequestContext,
    req: IncomingMessage,
    res: ServerResponse,
    run: () => Promise<void>,
  ) => Promise<void>,
): Handler {
  return (req, res) => {
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && given !== "" ? given : randomUUID();
    req.headers["x-request-id"] = requestId;
    const context: RequestContext = { requestId, headers: req.headers };
    (req as WithContext)[CONTEXT] = context;
    return around ? around(context, req, res, () => handler(req, res)) : handler(req, res);
  };
}
