/** `gateway.secrets` in sophia.yaml, validated here with file:line:col errors. */
import { z } from "zod";
import { parseDuration, type SophiaConfig, validateSection } from "../../config/index.ts";

export interface EscSecretsConfig {
  provider: "esc";
  org: string;
  project: string;
  environment: string;
  token: string;
  /** How often the environment is opened again; a changed value applies to new upstream connections. */
  refreshMs: number;
  timeoutMs: number;
  /** The ESC API base (Pulumi Cloud by default; self-hosted Pulumi Cloud has its own). */
  url: string;
}

const text = z.string().trim().min(1);
const duration = (fallback: number, min: number) =>
  z
    .union([z.number(), z.string()])
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined || ms < min)
        ctx.addIssue({
          code: "custom",
          message: `expected a duration of at least ${min} ms, like "5m"`,
        });
      return ms ?? fallback;
    });

const shape = {
  provider: z.literal("esc"),
  org: text,
  project: text,
  environment: text,
  token: text,
  refresh: duration(300_000, 100),
  timeout: duration(10_000, 100),
  url: z.url().default("https://api.pulumi.com/api/esc"),
};

/** Undefined when `gateway.secrets` is absent (then `${secret:…}` references are a configuration error). */
export function readSecrets(config: SophiaConfig): EscSecretsConfig | undefined {
  if (config.gateway.secrets === undefined) return undefined;
  const v = validateSection(
    config,
    ["gateway", "secrets"],
    config.gateway.secrets,
    z.strictObject(shape),
    Object.keys(shape),
  );
  return {
    provider: v.provider,
    org: v.org,
    project: v.project,
    environment: v.environment,
    token: v.token,
    refreshMs: v.refresh,
    timeoutMs: v.timeout,
    url: v.url.replace(/\/$/, ""),
  };
}
