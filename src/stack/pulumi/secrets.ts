import type { StackModel } from "../model.ts";

/** Connection URLs the program builds from host, user and password; never asked for as secrets. */
export const BUILT_URLS = ["DATABASE_URL", "REDIS_URL", "NATS_URL"] as const;

/** Secrets the data services and n8n themselves need, beside the ones sophia.yaml names. */
export const INFRA_SECRETS = ["POSTGRES_PASSWORD", "REDIS_PASSWORD", "N8N_ENCRYPTION_KEY"] as const;

/** `OPENAI_API_KEY` → `openaiApiKey`: the Pulumi config key and ESC path of a secret. */
export function configKeyOf(envName: string): string {
  const words = envName
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

/** Every secret the stack reads from ESC, by environment variable name, sorted. */
export function stackSecrets(model: StackModel): string[] {
  // The model names secrets as Compose does (lowercase); the containers read them uppercase.
  const names = new Set(model.secrets.map((name) => name.toUpperCase()));
  if (model.services.postgres) names.add("POSTGRES_PASSWORD");
  if (model.services.redis) names.add("REDIS_PASSWORD");
  if (model.n8n.enabled) names.add("N8N_ENCRYPTION_KEY");
  for (const url of BUILT_URLS) names.delete(url);
  return [...names].sort();
}

/** The secrets Sophia's own processes read (not the data services' and n8n's own). */
export function appSecrets(model: StackModel): string[] {
  const infra: readonly string[] = INFRA_SECRETS;
  return stackSecrets(model).filter((name) => !infra.includes(name) && !name.startsWith("N8N_"));
}

/** Env name → config key for the generated topology. */
export function secretKeys(model: StackModel): Record<string, string> {
  return Object.fromEntries(stackSecrets(model).map((name) => [name, configKeyOf(name)]));
}
