import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { classify } from "../audit/record.ts";
import type { CallInfo, Interceptor } from "../mcp/call-pipeline.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { contextMeta, type GatewayTracing, remoteParent } from "./tracer.ts";

const METHOD = { tool: "tools/call", prompt: "prompts/get", resource: "resources/read" } as const;

function parentOf(call: CallInfo): Context {
  const meta = call.params._meta as Record<string, unknown> | undefined;
  if (meta?.traceparent !== undefined) {
    const parent = remoteParent(meta.traceparent, meta.tracestate);
    if (trace.getSpanContext(parent)) return parent;
  }
  const requestSpan = call.context.request?.span as Span | undefined;
  return requestSpan ? trace.setSpan(ROOT_CONTEXT, requestSpan) : ROOT_CONTEXT;
}

/**
 * Last in the pipeline, right before the upstream: one client span per
 * upstream call, its context passed on in the request's `_meta`
 * (`traceparent`, `tracestate`). The caller's context comes from its own
 * `_meta.traceparent`, else from the HTTP request's span.
 */
export function tracingInterceptor(tracing: GatewayTracing): Interceptor {
  return async (call, next) => {
    const method = METHOD[call.kind];
    const attributes = {
      "mcp.method": method,
      ...(call.kind === "tool" ? { "mcp.tool": call.name } : {}),
      server: call.server,
    };
    (call.context.request?.span as Span | undefined)?.setAttributes(attributes);
    const span = tracing.tracer.startSpan(
      `${method} ${call.exposedName}`,
      { kind: SpanKind.CLIENT, attributes },
      parentOf(call),
    );
    const params = call.params as Record<string, unknown>;
    params._meta = {
      ...(params._meta as Record<string, unknown> | undefined),
      ...contextMeta(span),
    };
    let outcome: CallOutcome | undefined;
    try {
      outcome = await next();
      return outcome;
    } finally {
      const result = outcome ? classify(outcome).outcome : "error";
      span.setAttribute("outcome", result);
      if (result !== "ok") span.setStatus({ code: SpanStatusCode.ERROR, message: result });
      span.end();
    }
  };
}
