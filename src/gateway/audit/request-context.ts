import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** What the audit log and tracing need from the HTTP request a call came in on. */
export interface RequestContext {
  readonly requestId: string;
  readonly headers: IncomingMessage["headers"];
  /** Set by tracing: the request's span, for child spans and attributes. */
  span?: unknown;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The request a call belongs to; undefined on stdio or when nothing installed the wrapper. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
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
    return storage.run(context, () =>
      around ? around(context, req, res, () => handler(req, res)) : handler(req, res),
    );
  };
}
