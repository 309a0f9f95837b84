/** `gateway.tracing` in sophia.yaml, validated with file:line:col errors. */
import { z } from "zod";
import { validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";

export interface TracingConfig {
  /** The OTLP/HTTP collector base URL; spans go to `<otlp>/v1/traces`. */
  readonly otlp: string;
  /** Share of new traces recorded (0–1); a caller's sampled flag is followed. */
  readonly sampleRatio: number;
  readonly headers: Readonly<Record<string, string>>;
}

const tracingShape = {
  otlp: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
      message: 'expected the collector URL such as "http://127.0.0.1:4318"',
    }),
  sampleRatio: z.number().min(0).max(1).default(1),
  headers: z.record(z.string(), z.string()).default({}),
};

/** Undefined when `gateway.tracing` is absent: no spans, no cost. */
export function readTracing(config: SophiaConfig): TracingConfig | undefined {
  const raw = config.gateway.tracing;
  if (raw === undefined) return undefined;
  const schema = z.strictObject(tracingShape);
  const v = validateSection(config, ["gateway", "tracing"], raw, schema, Object.keys(tracingShape));
  return { otlp: v.otlp.replace(/\/+$/, ""), sampleRatio: v.sampleRatio, headers: v.headers };
}
