import type { KeyStoreConfig } from "./config.ts";
import { KeyFile, type KeyStore } from "./key-store.ts";
import { PgKeyStore } from "./pg-key-store.ts";

/** The key store `gateway.auth.apiKeys` (or `sophia keys --file/--store`) names. */
export function openKeyStore(
  config: KeyStoreConfig,
): KeyStore & { description: string; close?(): Promise<void> } {
  if (config.kind === "file") {
    const file = new KeyFile(config.path);
    return Object.assign(file, { description: file.path });
  }
  return new PgKeyStore({ url: config.url, schema: config.schema, cacheTtlMs: config.cacheTtlMs });
}
