/**
 * prometheus.yml: scrapes every gateway replica (Compose DNS answers the
 * service name with all replica addresses), the flow engine and the
 * OpenTelemetry collector's Prometheus exporter.
 */
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { FLOW_METRICS_PORT } from "../compose-app.ts";
import { inOut, type Layout } from "../layout.ts";
import { OTEL_PROMETHEUS_PORT } from "./otel.ts";

function dnsJob(job: string, host: string, port: number): unknown {
  return {
    job_name: job,
    metrics_path: "/metrics",
    dns_sd_configs: [{ names: [host], type: "A", port }],
  };
}

export function prometheusFile(model: StackModel, layout: Layout): GeneratedFile {
  const jobs = [dnsJob("sophia-gateway", "gateway", model.gateway.port)];
  if (model.flow.enabled) jobs.push(dnsJob("sophia-flow", "flow", FLOW_METRICS_PORT));
  jobs.push({
    job_name: "otel-collector",
    static_configs: [{ targets: [`otel-collector:${OTEL_PROMETHEUS_PORT}`] }],
  });
  const config = {
    global: { scrape_interval: "15s", evaluation_interval: "15s" },
    scrape_configs: jobs,
  };
  return {
    path: inOut(layout, "observability/prometheus.yml"),
    content: yamlFile(model.source, config),
  };
}
