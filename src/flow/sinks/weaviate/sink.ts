/**
 * Weaviate sink: one object per key and chunk (UUID from table, key, chunk),
 * properties sophiaTable, sophiaKey, sophiaChunk, sophiaLsn, content and
 * metadata (the row's other columns as JSON text).
 */

import type { Logger } from "../../../shared/logger.ts";
import type { Sink } from "../../sink.ts";
import { stringify } from "../shared/event-json.ts";
import { chunkId } from "../shared/key.ts";
import {
  createVectorStoreSink,
  type KeyRef,
  type VectorStoreAdapter,
} from "../shared/vector-store.ts";
import type { WeaviateSinkOptions } from "./options.ts";
import { createWeaviateRest, expectStatus, type WeaviateRest } from "./rest.ts";

export interface WeaviateSinkDeps {
  logger: Logger;
  flow: string;
}

/** Most chunks per key probed when updating metadata by id (ids are derived, not listed). */
const MAX_CHUNKS = 10_000;

function classDefinition(name: string) {
  const text = (n: string, tokenization = "word") => ({
    name: n,
    dataType: ["text"],
    tokenization,
  });
  return {
    class: name,
    vectorizer: "none",
    properties: [
      text("sophiaTable", "field"),
      text("sophiaKey", "field"),
      { name: "sophiaChunk", dataType: ["int"] },
      text("sophiaLsn", "field"),
      text("content"),
      text("metadata", "field"),
    ],
  };
}

function keyWhere(ref: KeyRef, fromChunk?: number) {
  const operands: object[] = [
    { path: ["sophiaTable"], operator: "Equal", valueText: ref.table },
    { path: ["sophiaKey"], operator: "Equal", valueText: ref.key },
  ];
  if (fromChunk !== undefined)
    operands.push({ path: ["sophiaChunk"], operator: "GreaterThanEqual", valueInt: fromChunk });
  return { operator: "And", operands };
}

async function batchDelete(rest: WeaviateRest, cls: string, where: object): Promise<void> {
  const answer = await rest.call("DELETE", "/v1/batch/objects", {
    match: { class: cls, where },
    output: "minimal",
  });
  expectStatus(answer, "batch delete");
}

function adapter(options: WeaviateSinkOptions): VectorStoreAdapter {
  const rest = createWeaviateRest(options.url, options.apiKey, options.timeout);
  const cls = options.collection;
  return {
    async prepare() {
      const found = await rest.call("GET", `/v1/schema/${cls}`);
      if (found.status === 200 || !options.createCollection)
        return expectStatus(found, `collection ${cls}`);
      expectStatus(
        await rest.call("POST", "/v1/schema", classDefinition(cls)),
        `create collection ${cls}`,
      );
    },
    async upsert(points) {
      const objects = points.map((p) => ({
        class: cls,
        id: p.id,
        vector: p.vector,
        properties: {
          sophiaTable: p.table,
          sophiaKey: p.key,
          sophiaChunk: p.chunk,
          sophiaLsn: p.lsn,
          content: p.content,
          metadata: stringify(p.metadata),
        },
      }));
      const answer = await rest.call("POST", "/v1/batch/objects", { objects });
      expectStatus(answer, "batch upsert");
      const failed = (answer.body as Array<{ result?: { errors?: unknown } }>).find(
        (o) => o.result?.errors !== undefined,
      );
      if (failed !== undefined)
        throw new Error(`batch upsert: ${JSON.stringify(failed.result?.errors).slice(0, 300)}`);
    },
    async trim(keys) {
      for (const k of keys) await batchDelete(rest, cls, keyWhere(k, k.count));
    },
    async deleteKeys(keys) {
      for (const k of keys) await batchDelete(rest, cls, keyWhere(k));
    },
    async setMetadata(items) {
      for (const item of items) {
        const properties = { metadata: stringify(item.metadata), sophiaLsn: item.lsn };
        for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
          const id = chunkId(item.table, item.key, chunk);
          const answer = await rest.call("PATCH", `/v1/objects/${cls}/${id}`, {
            class: cls,
            properties,
          });
          if (answer.status === 404) break;
          expectStatus(answer, "metadata update", [200, 204]);
        }
      }
    },
    async truncate(table) {
      await batchDelete(rest, cls, { path: ["sophiaTable"], operator: "Equal", valueText: table });
    },
    close: () => rest.close(),
  };
}

export function createWeaviateSink(
  name: string,
  options: WeaviateSinkOptions,
  deps: WeaviateSinkDeps,
): Sink {
  return createVectorStoreSink(
    { name, kind: "weaviate", textColumns: options.textColumns, logger: deps.logger },
    () => adapter(options),
  );
}
