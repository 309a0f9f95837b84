/** OpenTelemetry traces: a span per MCP request and per upstream call, W3C context in and out. */
export { readTracing, type TracingConfig } from "./config.ts";
export { tracingInterceptor } from "./interceptor.ts";
export { formatTraceParent, parseTraceParent, type TraceParent } from "./traceparent.ts";
export { contextMeta, GatewayTracing, remoteParent } from "./tracer.ts";
