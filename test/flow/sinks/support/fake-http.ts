/** A JSON HTTP fake on 127.0.0.1 for SaaS stores that cannot run here; it records every request. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeReply {
  status?: number;
  body?: unknown;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFake(handle: (req: FakeRequest) => FakeReply): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => {
      const text = Buffer.concat(parts).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      const request = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(request);
      let reply: FakeReply;
      try {
        reply = handle(request);
      } catch (error) {
        reply = { status: 500, body: { error: String(error) } };
      }
      res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
      res.end(reply.body === undefined ? "{}" : JSON.stringify(reply.body));
    });
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
