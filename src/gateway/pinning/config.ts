/** `gateway.pinning` in sophia.yaml, validated with file:line:col errors. */
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { parseDuration, validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";

export type PinMode = "log" | "flag" | "block";

export interface PinningConfig {
  readonly mode: PinMode;
  readonly file: string;
  /** How often the file is checked for approvals made by `sophia tools approve`. */
  readonly pollMs: number;
}

export const DEFAULT_PIN_FILE = ".sophia/tool-pins.json";

const pinningShape = {
  mode: z.enum(["log", "flag", "block"]).default("flag"),
  file: z.string().trim().min(1).default(DEFAULT_PIN_FILE),
  poll: z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms < 100) {
        ctx.addIssue({
          code: "custom",
          message: 'expected a duration of at least 100ms such as "2s"',
        });
        return z.NEVER;
      }
      return ms;
    })
    .default(2000),
};

/** The pin file path relative to the configuration file (or the working directory). */
export function pinFilePath(config: SophiaConfig, file: string): string {
  if (isAbsolute(file)) return file;
  return resolve(config.file ? dirname(config.file) : process.cwd(), file);
}

/** Undefined when `gateway.pinning` is absent: definitions are not pinned. */
export function readPinning(config: SophiaConfig): PinningConfig | undefined {
  const raw = config.gateway.pinning;
  if (raw === undefined) return undefined;
  const schema = z.strictObject(pinningShape);
  const v = validateSection(
    config,
    ["gateway", "pinning"],
    raw ?? {},
    schema,
    Object.keys(pinningShape),
  );
  return { mode: v.mode, file: pinFilePath(config, v.file), pollMs: v.poll };
}
