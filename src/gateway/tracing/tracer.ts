import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { BasicTracerProvider, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { lazyModule } from "../../shared/lazy-module.ts";
import type { RequestContext } from "../http/request-context.ts";
import type { TracingConfig } from "./config.ts";
import { formatTraceParent, parseTraceParent } from "./traceparent.ts";

const sdk = lazyModule<typeof import("@opentelemetry/sdk-trace-base")>(
  "@opentelemetry/sdk-trace-base",
);
const otlp = lazyModule<typeof import("@opentelemetry/exporter-trace-otlp-http")>(
  "@opentelemetry/exporter-trace-otlp-http",
);

/** A remote parent from a `traceparent` (+ `tracestate`) pair; the root context when absent or invalid. */
export function remoteParent(traceparent: unknown, tracestate: unknown): Context {
  const parent = parseTraceParent(traceparent);
  if (!parent) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parent.flags,
    isRemote: true,
    ...(typeof tracestate === "string" && tracestate !== ""
      ? { traceState: createTraceState(tracestate) }
      : {}),
  });
}

/** The `_meta` entries that carry a span's context to an upstream. */
export function contextMeta(span: Span): { traceparent: string; tracestate?: string } {
  const context = span.spanContext();
  const traceparent = formatTraceParent({
    traceId: context.traceId,
    spanId: context.spanId,
    flags: context.traceFlags,
  });
  const state = context.traceState?.serialize();
  return state ? { traceparent, tracestate: state } : { traceparent };
}

/**
 * The gateway's tracer provider. It is not registered globally: the gateway
 * passes contexts explicitly, so embedding applications keep their own.
 */
export class GatewayTracing {
  readonly tracer: Tracer;
  readonly #provider: BasicTracerProvider;

  constructor(options: { processor: SpanProcessor; sampleRatio: number }) {
    const { BasicTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } = sdk();
    this.#provider = new BasicTracerProvider({
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
      spanProcessors: [options.processor],
    });
    this.tracer = this.#provider.getTracer("sophia-gateway");
  }

  static fromConfig(config: TracingConfig): GatewayTracing {
    const exporter = new (otlp().OTLPTraceExporter)({
      url: `${config.otlp}/v1/traces`,
      headers: { ...config.headers },
    });
    return new GatewayTracing({
      processor: new (sdk().BatchSpanProcessor)(exporter),
      sampleRatio: config.sampleRatio,
    });
  }

  /** A server span per POST to an MCP or REST endpoint, parented by its `traceparent` header. */
  aroundRequest(
    context: RequestContext,
    req: IncomingMessage,
    res: ServerResponse,
    run: () => Promise<void>,
  ): Promise<void> {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    // POSTs carry the MCP requests; a GET is a long-lived event stream, not a request to time.
    if (req.method !== "POST" || !traced(path)) return run();
    const span = this.tracer.startSpan(
      `POST ${path.startsWith("/v1/") ? "/v1/tools" : path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": "POST", "url.path": path },
      },
      remoteParent(req.headers.traceparent, req.headers.tracestate),
    );
    context.span = span;
    res.once("close", () => {
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    return run();
  }

  /** Sends what is buffered and stops exporting. */
  shutdown(): Promise<void> {
    return this.#provider.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#provider.forceFlush();
  }
}

function traced(path: string): boolean {
  return path === "/mcp" || path.startsWith("/servers/") || path.startsWith("/v1/tools/");
}
