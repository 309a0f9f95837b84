/** Upstream credentials from a secret provider (`gateway.secrets`, `${secret:path}`). */
export { type EscSecretsConfig, readSecrets } from "./config.ts";
export { EscProvider, escValues } from "./esc.ts";
export { type SecretProvider, valueAt } from "./provider.ts";
export { UpstreamSecrets } from "./upstream-secrets.ts";
