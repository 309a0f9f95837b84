/**
 * A fake OpenAI-compatible embeddings server on 127.0.0.1 (the real ones are
 * SaaS or GPU services that cannot run here). Each vector encodes its text's
 * length and a checksum so tests can see order and content survive batching.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  authorization: string | undefined;
  model: string;
  input: string[];
}

/** Return undefined to answer normally; otherwise the status, headers and body to send instead. */
export type Script = (
  n: number,
  request: FakeRequest,
) => { status: number; headers?: Record<string, string>; body?: string } | undefined;

export interface FakeEmbeddings {
  url: string;
  requests: FakeRequest[];
  peakInFlight: number;
  close(): Promise<void>;
}

export function vectorFor(text: string, dimensions: number): number[] {
  let sum = 0;
  for (const ch of text) sum += ch.codePointAt(0) ?? 0;
  return Array.from({ length: dimensions }, (_, i) => (i === 0 ? text.length : i === 1 ? sum : 0));
}

export async function startFakeEmbeddings(options: {
  dimensions: number;
  delayMs?: number;
  script?: Script;
}): Promise<FakeEmbeddings> {
  const state = { requests: [] as FakeRequest[], inFlight: 0, peak: 0 };
  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    try {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const body = JSON.parse(raw) as { model: string; input: string[] };
      const request = {
        authorization: req.headers.authorization,
        model: body.model,
        input: body.input,
      };
      state.requests.push(request);
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const scripted = options.script?.(state.requests.length, request);
      if (scripted !== undefined) {
        res.writeHead(scripted.status, scripted.headers).end(scripted.body ?? "");
        return;
      }
      // Reversed, with `index`, as the OpenAI API allows: the client must reorder.
      const data = body.input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: vectorFor(text, options.dimensions),
      }));
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ object: "list", data: data.reverse() }));
    } finally {
      state.inFlight--;
    }
  }
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: state.requests,
    get peakInFlight() {
      return state.peak;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
