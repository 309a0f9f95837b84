/** Where a workflow listens: its Webhook trigger node, as a production URL. */

export interface WebhookTarget {
  url: string;
  method: string;
}

interface WorkflowNode {
  type?: unknown;
  disabled?: unknown;
  parameters?: { path?: unknown; httpMethod?: unknown } | undefined;
}

const WEBHOOK_TYPE = "n8n-nodes-base.webhook";

/** The first enabled Webhook node's production URL (`<base>/webhook/<path>`), or undefined. */
export function webhookOf(
  baseUrl: string,
  nodes: readonly WorkflowNode[],
): WebhookTarget | undefined {
  const node = nodes.find((n) => n.type === WEBHOOK_TYPE && n.disabled !== true);
  const path = node?.parameters?.path;
  if (typeof path !== "string" || path === "") return undefined;
  const method = node?.parameters?.httpMethod;
  return {
    url: `${baseUrl.replace(/\/+$/, "")}/webhook/${path.replace(/^\/+/, "")}`,
    // n8n's Webhook node defaults to GET.
    method: typeof method === "string" ? method.toUpperCase() : "GET",
  };
}

export function configuredTarget(
  baseUrl: string,
  option: { url?: string | undefined; path?: string | undefined; method: string },
): WebhookTarget | undefined {
  if (option.url !== undefined) return { url: option.url, method: option.method };
  if (option.path === undefined) return undefined;
  return webhookOf(baseUrl, [
    { type: WEBHOOK_TYPE, parameters: { path: option.path, httpMethod: option.method } },
  ]);
}
