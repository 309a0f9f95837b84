/** Options of a Weaviate sink. */
import { z } from "zod";
import { duration } from "../shared/units.ts";

export const weaviateSinkOptions = z.strictObject({
  kind: z.literal("weaviate"),
  /** http(s)://host:8080 (the REST endpoint). */
  url: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().optional(),
  /** Collection (class) name; Weaviate wants it capitalised. */
  collection: z
    .string()
    .regex(/^[A-Z][_0-9A-Za-z]*$/, "start with a capital letter; letters, digits and _ only")
    .default("SophiaChunk"),
  /** Create the collection at start when missing (vectorizer "none": Sophia sends the vectors). */
  createCollection: z.boolean().default(true),
  /** Columns that were embedded (the embed transform's `fields`): left out of the metadata. */
  textColumns: z.array(z.string().min(1)).default([]),
  timeout: duration("30s"),
});

export type WeaviateSinkOptions = z.output<typeof weaviateSinkOptions>;
