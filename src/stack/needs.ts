/**
 * What the configuration needs from the data services, read from sections
 * this part does not own (`flows` belongs to the flow part, `servers` to the
 * gateway). Only shapes are looked at, never validated: the owners do that.
 */
import type { SophiaConfig } from "../config/index.ts";

export interface Needs {
  flows: boolean;
  pgvector: boolean;
  nats: boolean;
  n8nWebhook: boolean;
  knowledge: boolean;
}

export function configNeeds(config: SophiaConfig): Needs {
  const sinks = Object.values(config.flows).flatMap(flowSinks);
  const kinds = new Set(sinks.flatMap((sink) => Object.keys(sink)));
  return {
    flows: Object.keys(config.flows).length > 0,
    pgvector: kinds.has("pgvector"),
    nats: kinds.has("nats"),
    n8nWebhook: sinks.some(pointsAtN8n),
    knowledge: Object.values(config.servers).some(
      (server) => server.transport === "builtin" && server.builtin === "knowledge",
    ),
  };
}

/** A flow's sinks, whether written as `sinks: {name: {kind: …}}` or one `sink: {kind: …}`. */
function flowSinks(flow: unknown): Record<string, unknown>[] {
  if (!isObject(flow)) return [];
  const single = isObject(flow.sink) ? [flow.sink] : [];
  const named = isObject(flow.sinks) ? Object.values(flow.sinks).filter(isObject) : [];
  return [...single, ...named];
}

function pointsAtN8n(sink: Record<string, unknown>): boolean {
  const webhook = sink.webhook;
  if (!isObject(webhook) || typeof webhook.url !== "string") return false;
  try {
    return new URL(webhook.url).hostname.includes("n8n");
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
