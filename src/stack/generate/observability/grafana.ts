/**
 * A Grafana dashboard for the gateway (metric names from
 * src/gateway/ops/metrics.ts) and the flow engine. Flow metric names follow
 * the `sophia_flow_*` convention of the flow part's metrics. The generated
 * header sits in the dashboard's own `description` field.
 */

import { variable } from "../../expressions.ts";
import { headerText } from "../../header.ts";
import type { GeneratedFile, StackModel } from "../../model.ts";
import { jsonFile } from "../../serialize.ts";
import { inOut, type Layout } from "../layout.ts";

interface PanelSpec {
  title: string;
  expr: string;
  legend: string;
  unit: string;
}

const GATEWAY: PanelSpec[] = [
  {
    title: "Tool calls per second",
    expr: "sum by (server, status) (rate(sophia_tool_calls_total[5m]))",
    legend: "{{server}} {{status}}",
    unit: "reqps",
  },
  {
    title: "Tool call latency p95",
    expr: "histogram_quantile(0.95, sum by (le, server) (rate(sophia_tool_call_duration_seconds_bucket[5m])))",
    legend: "{{server}}",
    unit: "s",
  },
  {
    title: "Tool calls in flight",
    expr: "sum by (server) (sophia_tool_calls_in_flight)",
    legend: "{{server}}",
    unit: "short",
  },
  {
    title: "HTTP requests per second",
    expr: "sum by (route, status) (rate(sophia_http_requests_total[5m]))",
    legend: "{{route}} {{status}}",
    unit: "reqps",
  },
  {
    title: "Upstreams ready",
    expr: "sum by (server) (sophia_upstream_up)",
    legend: "{{server}}",
    unit: "short",
  },
  { title: "Open sessions", expr: "sum(sophia_sessions)", legend: "sessions", unit: "short" },
];

const FLOW: PanelSpec[] = [
  {
    title: "Flow events per second",
    expr: "sum by (flow, sink) (rate(sophia_flow_events_out_total[5m]))",
    legend: "{{flow}} → {{sink}}",
    unit: "ops",
  },
  {
    title: "Flow batch write latency p99",
    expr: "histogram_quantile(0.99, sum by (le, flow) (rate(sophia_flow_batch_write_seconds_bucket[5m])))",
    legend: "{{flow}}",
    unit: "s",
  },
  {
    title: "Sink errors per second",
    expr: "sum by (flow, sink) (rate(sophia_flow_sink_errors_total[5m]))",
    legend: "{{flow}} → {{sink}}",
    unit: "ops",
  },
  {
    title: "Replication slot lag",
    expr: "max by (flow) (sophia_flow_slot_lag_bytes)",
    legend: "{{flow}}",
    unit: "bytes",
  },
  {
    title: "Retained WAL",
    expr: "max by (flow) (sophia_flow_retained_wal_bytes)",
    legend: "{{flow}}",
    unit: "bytes",
  },
  {
    title: "Dead letters",
    expr: "sum by (flow, sink) (sophia_flow_dlq_events)",
    legend: "{{flow}} → {{sink}}",
    unit: "short",
  },
];

function panel(spec: PanelSpec, id: number, row: number, column: number): unknown {
  return {
    id,
    type: "timeseries",
    title: spec.title,
    datasource: { type: "prometheus", uid: variable("datasource") },
    gridPos: { h: 8, w: 12, x: column * 12, y: row * 8 },
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    targets: [{ refId: "A", expr: spec.expr, legendFormat: spec.legend }],
  };
}

export function grafanaDashboard(model: StackModel, layout: Layout): GeneratedFile {
  const specs = model.flow.enabled ? [...GATEWAY, ...FLOW] : GATEWAY;
  const panels = specs.map((spec, index) =>
    panel(spec, index + 1, Math.floor(index / 2), index % 2),
  );
  const dashboard = {
    uid: `${model.name}-overview`.slice(0, 40),
    title: `${model.name}: gateway and flow`,
    description: headerText(model.source),
    tags: ["sophia"],
    timezone: "browser",
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: "now-1h", to: "now" },
    templating: {
      list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }],
    },
    panels,
  };
  return {
    path: inOut(layout, "observability/grafana-dashboard.json"),
    content: jsonFile(dashboard),
  };
}
