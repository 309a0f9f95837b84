/**
 * Pinecone sink: one record per key and chunk, metadata = the row's columns
 * (Pinecone's value types) plus `sophia_table`, `sophia_key`, `sophia_chunk`,
 * `sophia_lsn`, `content`. Keys are found by id prefix (see ids.ts).
 */
import type { Index } from "@pinecone-database/pinecone";
import { lazyModule } from "../../../shared/lazy-module.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { Sink } from "../../sink.ts";
import { createVectorStoreSink, type VectorStoreAdapter } from "../shared/vector-store.ts";
import { chunkOf, keyPrefix, pineconeMetadata, recordId, tablePrefix } from "./ids.ts";
import type { PineconeSinkOptions } from "./options.ts";

/** Loaded on first use: flows without a Pinecone sink never load the client. */
const pinecone = lazyModule<typeof import("@pinecone-database/pinecone")>(
  "@pinecone-database/pinecone",
);

export interface PineconeSinkDeps {
  logger: Logger;
  flow: string;
}

const UPSERT_CHUNK = 100; // Pinecone's advice for records per upsert request

async function listIds(index: Index, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await index.listPaginated({
      prefix,
      ...(token === undefined ? {} : { paginationToken: token }),
    });
    for (const v of result.vectors ?? []) if (v.id !== undefined) ids.push(v.id);
    token = result.pagination?.next;
    if (token === undefined) break;
  }
  return ids;
}

function adapter(options: PineconeSinkOptions): VectorStoreAdapter {
  const client = new (pinecone().Pinecone)({ apiKey: options.apiKey });
  const index = client.index({ host: options.host, namespace: options.namespace });
  const remove = async (ids: string[]) => {
    for (let i = 0; i < ids.length; i += 1000)
      await index.deleteMany({ ids: ids.slice(i, i + 1000) });
  };
  return {
    async prepare() {},
    async upsert(points) {
      const records = points.map((p) => ({
        id: recordId(p.table, p.key, p.chunk),
        values: p.vector,
        metadata: {
          ...pineconeMetadata(p.metadata),
          sophia_table: p.table,
          sophia_key: p.key,
          sophia_chunk: p.chunk,
          sophia_lsn: p.lsn,
          content: p.content,
        },
      }));
      for (let i = 0; i < records.length; i += UPSERT_CHUNK) {
        await index.upsert({ records: records.slice(i, i + UPSERT_CHUNK) });
      }
    },
    async trim(keys) {
      for (const k of keys) {
        const ids = await listIds(index, keyPrefix(k.table, k.key));
        await remove(ids.filter((id) => chunkOf(id) >= k.count));
      }
    },
    async deleteKeys(keys) {
      for (const k of keys) await remove(await listIds(index, keyPrefix(k.table, k.key)));
    },
    async setMetadata(items) {
      for (const item of items) {
        const metadata = { ...pineconeMetadata(item.metadata), sophia_lsn: item.lsn };
        for (const id of await listIds(index, keyPrefix(item.table, item.key))) {
          await index.update({ id, metadata });
        }
      }
    },
    async truncate(table) {
      await remove(await listIds(index, tablePrefix(table)));
    },
    async close() {},
  };
}

export function createPineconeSink(
  name: string,
  options: PineconeSinkOptions,
  deps: PineconeSinkDeps,
): Sink {
  return createVectorStoreSink(
    { name, kind: "pinecone", textColumns: options.textColumns, logger: deps.logger },
    () => adapter(options),
  );
}
