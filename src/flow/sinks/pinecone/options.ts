/** Options of a Pinecone sink. */
import { z } from "zod";

export const pineconeSinkOptions = z.strictObject({
  kind: z.literal("pinecone"),
  apiKey: z.string().min(1),
  /** The index's host (from the Pinecone console or describeIndex), e.g. https://docs-abc123.svc.pinecone.io */
  host: z.string().min(1),
  namespace: z.string().default(""),
  /** Columns that were embedded (the embed transform's `fields`): left out of the metadata. */
  textColumns: z.array(z.string().min(1)).default([]),
});

export type PineconeSinkOptions = z.output<typeof pineconeSinkOptions>;
