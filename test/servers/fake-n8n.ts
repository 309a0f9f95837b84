/** A fake n8n (public API + production webhooks) on 127.0.0.1, for the workflows server's tests. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const API_KEY = "fake-n8n-key";

const webhookNode = (path: string, httpMethod?: string) => ({
  type: "n8n-nodes-base.webhook",
  parameters: { path, ...(httpMethod ? { httpMethod } : {}) },
});

export const WORKFLOWS = [
  {
    id: "w1",
    name: "Greeter",
    active: true,
    tags: [{ name: "demo" }],
    nodes: [webhookNode("greet", "POST")],
  },
  { id: "w2", name: "Sleeping", active: false, tags: [], nodes: [webhookNode("sleep", "POST")] },
  { id: "w3", name: "Cron only", active: true, tags: [], nodes: [{ type: "n8n-nodes-base.cron" }] },
];

async function body(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

export interface FakeN8n {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeN8n(): Promise<FakeN8n> {
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (url.pathname.startsWith("/api/v1/")) {
      if (request.headers["x-n8n-api-key"] !== API_KEY)
        return json(401, { message: "unauthorized" });
      if (url.pathname === "/api/v1/workflows") {
        // Two pages, to prove the cursor is followed.
        const second = url.searchParams.get("cursor") === "page-2";
        const active = url.searchParams.get("active") === "true";
        const all = WORKFLOWS.filter((w) => !active || w.active);
        return json(200, {
          data: second ? all.slice(1) : all.slice(0, 1),
          nextCursor: second ? null : "page-2",
        });
      }
      const found = WORKFLOWS.find((w) => url.pathname === `/api/v1/workflows/${w.id}`);
      return found ? json(200, found) : json(404, { message: "not found" });
    }
    if (url.pathname === "/webhook/greet" && request.method === "POST") {
      const input = JSON.parse(await body(request)) as { name?: string };
      return json(200, { greeting: `hello ${input.name}` });
    }
    if (url.pathname === "/webhook/lookup" && request.method === "GET")
      return json(200, { found: url.searchParams.get("q") });
    if (url.pathname === "/webhook/broken") return json(500, { message: "Workflow failed" });
    json(404, { message: "The requested webhook is not registered" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
