import { createHash, hash, randomBytes, timingSafeEqual } from "node:crypto";

/** How a key is stored: never the secret, only its hash. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the secret part, hex. */
  hash: string;
  scopes: string[];
  roles: string[];
  /** ISO timestamps. */
  created: string;
  expires?: string | undefined;
  revoked?: string | undefined;
}

const PREFIX = "sk_sophia_";
const ID = /^[a-z0-9]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** Splits `sk_sophia_<id>_<secret>`; undefined when the text is not shaped like a key. */
export function parseApiKey(text: string): { id: string; secret: string } | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const rest = text.slice(PREFIX.length);
  const cut = rest.indexOf("_");
  if (cut === -1) return undefined;
  const id = rest.slice(0, cut);
  const secret = rest.slice(cut + 1);
  return ID.test(id) && SECRET.test(secret) ? { id, secret } : undefined;
}

export function looksLikeApiKey(text: string): boolean {
  return text.startsWith(PREFIX);
}

/**
 * SHA-256, not scrypt: the secret is 256 random bits, so no dictionary or
 * brute force can reach it and a slow hash would only add tens of
 * milliseconds of CPU to every request (keys are checked on each one).
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of the presented secret's hash with the stored one. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return secretMatchesDigest(secret, Buffer.from(storedHash, "hex"));
}

/** As secretMatches, with the stored hash already decoded (the gateway keeps it per key). */
export function secretMatchesDigest(secret: string, stored: Buffer): boolean {
  if (stored.length !== DIGEST_BYTES) return false;
  // The one-shot hash as "binary" (latin1) text, one byte per character, written into a reused
  // buffer: allocating a Buffer for each digest costs more than the hash itself.
  presented.write(hash("sha256", secret, "binary"), "binary");
  return timingSafeEqual(presented, stored);
}

const DIGEST_BYTES = 32;
/** Only ever used synchronously, so one buffer serves every request. */
const presented = Buffer.alloc(DIGEST_BYTES);

/** A new key: the full text (shown once) and the record to store. */
export function generateApiKey(
  options: { name: string; scopes?: string[]; roles?: string[]; expiresAt?: Date },
  now = new Date(),
): { key: string; record: ApiKeyRecord } {
  const id = randomId();
  const secret = randomBytes(32).toString("base64url");
  const record: ApiKeyRecord = {
    id,
    name: options.name,
    hash: hashSecret(secret),
    scopes: options.scopes ?? [],
    roles: options.roles ?? [],
    created: now.toISOString(),
    ...(options.expiresAt ? { expires: options.expiresAt.toISOString() } : {}),
  };
  return { key: `${PREFIX}${id}_${secret}`, record };
}

function randomId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let id = "";
  // 252 = 7 × 36: bytes above it are skipped so every character is equally likely.
  while (id.length < 12) {
    for (const byte of randomBytes(16)) {
      if (byte < 252 && id.length < 12) id += alphabet[byte % 36];
    }
  }
  return id;
}

/** Why a key whose id was found cannot be used now; undefined when it can. */
export function keyProblem(record: ApiKeyRecord, now = Date.now()): string | undefined {
  return keyProblemAt(
    record,
    record.expires === undefined ? undefined : Date.parse(record.expires),
    now,
  );
}

/** As keyProblem, with the expiry already parsed (the gateway keeps it per key). */
export function keyProblemAt(
  record: ApiKeyRecord,
  expiresAt: number | undefined,
  now = Date.now(),
): string | undefined {
  if (record.revoked !== undefined) return "the API key was revoked";
  if (expiresAt !== undefined && expiresAt <= now) return "the API key has expired";
  return undefined;
}
