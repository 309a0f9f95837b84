/**
 * Where `${secret:…}` references sit in the servers' configuration (pure).
 * Only upstream `headers` and `env` values may use them: those are read each
 * time a connection or process is made, so a refreshed value reaches the
 * next connection.
 */
import { fillSecrets, secretPaths } from "../../config/index.ts";
import type { ServerConfig } from "../../config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import { valueAt } from "./provider.ts";

export interface SecretSlot {
  server: string;
  field: "headers" | "env";
  key: string;
  /** The configured value with its secret markers. */
  template: string;
  paths: string[];
}

export function findSlots(servers: Record<string, ServerConfig>): SecretSlot[] {
  const slots: SecretSlot[] = [];
  for (const [server, config] of Object.entries(servers)) {
    for (const field of ["headers", "env"] as const) {
      const map = (config as { headers?: Record<string, string>; env?: Record<string, string> })[
        field
      ];
      for (const [key, template] of Object.entries(map ?? {})) {
        const paths = secretPaths(template);
        if (paths.length > 0) slots.push({ server, field, key, template, paths });
      }
    }
    refuseElsewhere(server, config);
  }
  return slots;
}

/** A reference in a URL, command or argument would never be filled: say so at start. */
function refuseElsewhere(server: string, config: ServerConfig): void {
  const {
    headers: _h,
    env: _e,
    ...rest
  } = config as ServerConfig & { headers?: unknown; env?: unknown };
  const found = strings(rest).flatMap(secretPaths);
  if (found.length > 0)
    throw new SophiaError(
      "CONFIG_INVALID",
      `server ${server} uses \${secret:${found[0]}} outside headers and env`,
      { hint: "secrets from gateway.secrets can fill only a server's headers and env values" },
    );
}

/** Copies of the servers whose headers/env hold references, with maps of their own to fill in place. */
export function ownMaps(
  servers: Record<string, ServerConfig>,
  slots: readonly SecretSlot[],
): Record<string, ServerConfig> {
  const out: Record<string, ServerConfig> = { ...servers };
  for (const name of new Set(slots.map((s) => s.server))) {
    const config = servers[name] as ServerConfig & {
      headers?: Record<string, string>;
      env?: Record<string, string>;
    };
    out[name] = {
      ...config,
      ...(config.headers ? { headers: { ...config.headers } } : {}),
      ...(config.env ? { env: { ...config.env } } : {}),
    } as ServerConfig;
  }
  return out;
}

/** Each slot's text with the provider's values, or the first path the values lack. */
export function fillSlots(
  slots: readonly SecretSlot[],
  values: unknown,
): { ok: true; texts: string[] } | { ok: false; slot: SecretSlot; path: string } {
  const texts: string[] = [];
  for (const slot of slots) {
    const missing = slot.paths.find((path) => valueAt(values, path) === undefined);
    if (missing !== undefined) return { ok: false, slot, path: missing };
    texts.push(fillSecrets(slot.template, (path) => valueAt(values, path) ?? ""));
  }
  return { ok: true, texts };
}

/** Every string in a JSON-like value (JSON.stringify would escape the markers' NUL bytes). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(strings);
}
