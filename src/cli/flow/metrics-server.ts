/** `GET /metrics` for `sophia flow run`: every engine's registry merged, on 127.0.0.1 by default. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { SophiaError } from "../../shared/errors.ts";

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function serveMetrics(
  registries: Registry[],
  host: string,
  port: number,
): Promise<MetricsServer> {
  const merged = Registry.merge(registries);
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404).end("not found: GET /metrics\n");
      return;
    }
    merged.metrics().then(
      (text) => response.writeHead(200, { "content-type": merged.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new SophiaError(
          "LISTEN_FAILED",
          `cannot serve metrics on ${host}:${port}: ${error.message}`,
          {
            hint: "pick another --metrics-port (0 takes a free one)",
          },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
