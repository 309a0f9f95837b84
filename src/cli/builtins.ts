/**
 * The built-in servers the gateway offers, wired here because only the CLI
 * may import two parts: the servers, and the flow's embedders (the knowledge
 * server embeds queries with the same provider the flow embeds rows with).
 */
import { type ConfigPath, type SophiaConfig, validateSection } from "../config/index.ts";
import { createEmbedder, providerSchema } from "../flow/embed/index.ts";
import { type BuiltinRegistry, GATEWAY_VERSION } from "../gateway/index.ts";
import { builtinServers } from "../servers/index.ts";

export function builtinRegistry(config: SophiaConfig, cwd: string): BuiltinRegistry {
  return builtinServers({
    config,
    cwd,
    version: GATEWAY_VERSION,
    embedder: (value: unknown, path: ConfigPath) =>
      createEmbedder(validateSection(config, path, value ?? "local", providerSchema)),
  });
}
