/**
 * A real Sophia gateway for the node tests: API keys on (a key file in a temporary
 * folder), the stdio test tool server as `fx`, and the built-in knowledge server
 * over an embedded PGlite holding a few documents.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { parseConfigText } from "../../src/config/index.ts";
import { createLocalEmbedder } from "../../src/flow/embed/index.ts";
import { generateApiKey } from "../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../src/gateway/auth/key-store.ts";
import { Gateway } from "../../src/gateway/index.ts";
import { builtinServers } from "../../src/servers/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { type FixtureDoc, writeDocs } from "../servers/knowledge-fixture.ts";
import { stdioEntry } from "../support/gateway-harness.ts";

export const DOCS: FixtureDoc[] = [
  {
    table: "public.tickets",
    key: { id: 1 },
    chunks: ["Password reset email never arrives for customers on the enterprise plan."],
    metadata: { id: 1, category: "login" },
  },
  {
    table: "public.tickets",
    key: { id: 2 },
    chunks: ["Invoice totals are rounded wrongly when the currency has no minor unit."],
    metadata: { id: 2, category: "billing" },
  },
  {
    table: "public.tickets",
    key: { id: 3 },
    chunks: ["Two-factor login codes expire before the SMS is delivered."],
    metadata: { id: 3, category: "login" },
  },
];

export interface TestGateway {
  url: string;
  /** A valid API key for the gateway. */
  key: string;
  stop(): Promise<void>;
}

export async function startTestGateway(): Promise<TestGateway> {
  const dir = await mkdtemp(join(tmpdir(), "sophia-n8n-nodes-"));
  const dataDir = join(dir, "knowledge");
  const db = await PGlite.create({ dataDir, extensions: { vector } });
  await writeDocs(db, "public.sophia_embeddings", DOCS);
  await db.close();
  const keys = new KeyFile(join(dir, "keys.json"));
  const made = generateApiKey({ name: "n8n" });
  await keys.add(made.record);
  await keys.close();

  const text = JSON.stringify({
    gateway: { listen: "127.0.0.1:0", auth: { apiKeys: { file: keys.path } } },
    servers: {
      fx: stdioEntry(join(import.meta.dirname, "tool-server.ts")),
      knowledge: { builtin: "knowledge", options: { dataDir } },
    },
  });
  const config = parseConfigText(text, { file: join(dir, "sophia.json"), env: {} });
  const builtins = builtinServers({
    config,
    cwd: dir,
    version: "test",
    embedder: () => createLocalEmbedder(),
  });
  const gateway = new Gateway({ config, logger: silentLogger(), builtins });
  try {
    const url = await gateway.listen();
    await gateway.startUpstreams();
    return {
      url,
      key: made.key,
      async stop() {
        await gateway.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await gateway.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
