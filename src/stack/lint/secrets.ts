/**
 * Recognizes secrets written as literal values: by the variable's name
 * (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, …) or by the value's shape
 * (well-known key prefixes, PEM private keys). Values that are references
 * (`${VAR}`, `$VAR`) or file paths (`*_FILE`, `*_PATH`) are not secrets.
 */

const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY)/i;
const REFERENCE_NAME = /(_FILE|_PATH|_DIR|_URL_FILE)$/i;

const SECRET_VALUES: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}\b/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, // Slack
  /\bsk_live_[A-Za-z0-9]{16,}\b/, // Stripe
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/, // OpenAI, Anthropic
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, // JWT
];

/** True when the value is only a variable reference, filled in at run time. */
function isReference(value: string): boolean {
  return /^\$\{?[A-Za-z_][A-Za-z0-9_]*(?:[:?-][^}]*)?\}?$/.test(value.trim());
}

/** Why `name=value` looks like a secret written into the file, or undefined when it does not. */
export function secretReason(name: string, value: unknown): string | undefined {
  if (value === null || value === undefined || typeof value === "boolean") return undefined;
  const text = String(value);
  if (text.trim() === "" || isReference(text)) return undefined;
  if (SECRET_VALUES.some((pattern) => pattern.test(text))) return "its value looks like a key";
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && !text.startsWith("/run/secrets/")) {
    return `${name} has a literal value`;
  }
  return undefined;
}
