import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText } from "../../src/config/index.ts";
import { generateApiKey } from "../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../src/gateway/auth/key-store.ts";
import { Gateway } from "../../src/gateway/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { ROOT, stdioEntry } from "./gateway-harness.ts";

/** The stdio MCP server behind the gateway: server `tickets`, tool `triage`. */
export const TRIAGE_SERVER = stdioEntry(join(ROOT, "test/fixtures/n8n/triage-server.ts"));

/** The answer `triage` gives, computed the same way as the fixture server does. */
export function triageAnswer(id: number, subject: string): string {
  return `ticket ${id}: ${subject.toUpperCase()} (${subject.length} chars)`;
}

/**
 * A real Sophia gateway on 127.0.0.1 with API keys on and the `tickets` stdio
 * server, for n8n to call. `key` is the only key that works.
 */
export async function startKeyedGateway() {
  const dir = await mkdtemp(join(tmpdir(), "sophia-n8n-gw-"));
  const store = new KeyFile(join(dir, "keys.json"));
  const made = generateApiKey({ name: "n8n", roles: [] });
  await store.add(made.record);
  const text = JSON.stringify({
    gateway: { listen: "127.0.0.1:0", auth: { apiKeys: { file: store.path } } },
    servers: { tickets: TRIAGE_SERVER },
  });
  const config = parseConfigText(text, { file: join(dir, "sophia.json"), env: {} });
  const gateway = new Gateway({ config, logger: silentLogger() });
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
    await gateway.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
