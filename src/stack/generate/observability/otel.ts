/**
 * OpenTelemetry collector: OTLP in (gRPC 4317, HTTP 4318); traces out over
 * OTLP to the backend named by OTLP_EXPORT_ENDPOINT, metrics out as a
 * Prometheus endpoint and over OTLP.
 */

import { variable } from "../../expressions.ts";
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { inOut, type Layout } from "../layout.ts";

export const OTEL_PROMETHEUS_PORT = 8889;

export function otelCollectorFile(model: StackModel, layout: Layout): GeneratedFile {
  const config = {
    receivers: {
      otlp: {
        protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } },
      },
    },
    processors: {
      memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
      batch: {},
    },
    exporters: {
      prometheus: { endpoint: `0.0.0.0:${OTEL_PROMETHEUS_PORT}`, namespace: "otel" },
      otlp: { endpoint: variable("env:OTLP_EXPORT_ENDPOINT") },
    },
    extensions: { health_check: { endpoint: "0.0.0.0:13133" } },
    service: {
      extensions: ["health_check"],
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "batch"],
          exporters: ["otlp"],
        },
        metrics: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "batch"],
          exporters: ["prometheus", "otlp"],
        },
      },
    },
  };
  return {
    path: inOut(layout, "observability/otel-collector.yaml"),
    content: yamlFile(model.source, config),
  };
}
