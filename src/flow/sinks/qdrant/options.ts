/** Options of a Qdrant sink. */
import { z } from "zod";
import { duration } from "../shared/units.ts";

export const qdrantSinkOptions = z.strictObject({
  kind: z.literal("qdrant"),
  /** http(s)://host:6333 */
  url: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().optional(),
  collection: z.string().min(1).default("sophia"),
  /** Vector size; used when the sink creates the collection. */
  dimensions: z.number().int().min(1),
  distance: z.enum(["Cosine", "Dot", "Euclid", "Manhattan"]).default("Cosine"),
  /** Create the collection (and payload indexes) at start when missing. */
  createCollection: z.boolean().default(true),
  /** Columns that were embedded (the embed transform's `fields`): left out of the payload. */
  textColumns: z.array(z.string().min(1)).default([]),
  timeout: duration("30s"),
});

export type QdrantSinkOptions = z.output<typeof qdrantSinkOptions>;
