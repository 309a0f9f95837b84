/** Options of a NATS JetStream sink. */
import { z } from "zod";
import { duration } from "../shared/units.ts";

export const natsSinkOptions = z.strictObject({
  kind: z.literal("nats"),
  /** nats://host:port, one or several. */
  servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  token: z.string().optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  /** Messages go to `<subjectPrefix>.<schema>.<table>.<op>`. */
  subjectPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
    .default("sophia"),
  stream: z
    .strictObject({
      /** JetStream stream capturing `<subjectPrefix>.>`. */
      name: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default("SOPHIA"),
      /** Create the stream at start when it does not exist (otherwise it must exist). */
      create: z.boolean().default(true),
      /** Window in which JetStream drops a repeated Nats-Msg-Id (used when creating). */
      duplicateWindow: duration("2m"),
    })
    .prefault({}),
  /** How long to wait for each PubAck. */
  ackTimeout: duration("10s"),
});

export type NatsSinkOptions = z.output<typeof natsSinkOptions>;
