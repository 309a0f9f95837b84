import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ROOT } from "../../support/gateway-harness.ts";
import { textOf } from "../../support/poll.ts";

export { type Started, withGateway } from "../../support/gateway-harness.ts";

export const FIXTURE = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");
export const HTTP_FIXTURE = join(ROOT, "test/fixtures/upstreams/http-server.ts");
export const SLOW_LIST_FIXTURE = join(ROOT, "test/fixtures/upstreams/slow-list-server.ts");

export async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, text: textOf(result) };
}

/** One sample of a Prometheus metric (0 when absent), matched by name and label text. */
export async function metric(base: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) return Number(line.split(" ").pop());
  }
  return 0;
}
