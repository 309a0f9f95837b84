/**
 * Qdrant sink: one point per key and chunk (UUID id from table, key, chunk),
 * payload = the row's metadata plus `sophia_table`, `sophia_key`,
 * `sophia_chunk`, `sophia_lsn`, `content`. Keys are removed by payload filter.
 */

import { lazyModule } from "../../../shared/lazy-module.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { Sink } from "../../sink.ts";
import {
  createVectorStoreSink,
  type KeyRef,
  type VectorStoreAdapter,
} from "../shared/vector-store.ts";
import type { QdrantSinkOptions } from "./options.ts";

/** Loaded on first use: flows without a Qdrant sink never load the client. */
const qdrant = lazyModule<typeof import("@qdrant/js-client-rest")>("@qdrant/js-client-rest");

export interface QdrantSinkDeps {
  logger: Logger;
  flow: string;
}

function keyFilter(ref: KeyRef) {
  return [
    { key: "sophia_table", match: { value: ref.table } },
    { key: "sophia_key", match: { value: ref.key } },
  ];
}

function adapter(options: QdrantSinkOptions): VectorStoreAdapter {
  const client = new (qdrant().QdrantClient)({
    url: options.url,
    apiKey: options.apiKey,
    timeout: options.timeout,
    checkCompatibility: false,
  });
  const { collection } = options;
  const remove = (filter: object) => client.delete(collection, { wait: true, filter });
  return {
    async prepare() {
      const { exists } = await client.collectionExists(collection);
      if (exists || !options.createCollection) return;
      await client.createCollection(collection, {
        vectors: { size: options.dimensions, distance: options.distance },
      });
      for (const field of ["sophia_table", "sophia_key"]) {
        await client.createPayloadIndex(collection, {
          field_name: field,
          field_schema: "keyword",
          wait: true,
        });
      }
    },
    async upsert(points) {
      await client.upsert(collection, {
        wait: true,
        points: points.map((p) => ({
          id: p.id,
          vector: p.vector,
          payload: {
            ...p.metadata,
            sophia_table: p.table,
            sophia_key: p.key,
            sophia_chunk: p.chunk,
            sophia_lsn: p.lsn,
            content: p.content,
            content_hash: p.contentHash,
          },
        })),
      });
    },
    async trim(keys) {
      for (const k of keys) {
        await remove({ must: [...keyFilter(k), { key: "sophia_chunk", range: { gte: k.count } }] });
      }
    },
    async deleteKeys(keys) {
      await remove({ should: keys.map((k) => ({ must: keyFilter(k) })) });
    },
    async setMetadata(items) {
      for (const item of items) {
        await client.setPayload(collection, {
          wait: true,
          payload: { ...item.metadata, sophia_lsn: item.lsn },
          filter: { must: keyFilter(item) },
        });
      }
    },
    async truncate(table) {
      await remove({ must: [{ key: "sophia_table", match: { value: table } }] });
    },
    async close() {},
  };
}

export function createQdrantSink(
  name: string,
  options: QdrantSinkOptions,
  deps: QdrantSinkDeps,
): Sink {
  return createVectorStoreSink(
    { name, kind: "qdrant", textColumns: options.textColumns, logger: deps.logger },
    () => adapter(options),
  );
}
