import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const TAG_BYTES = 16;
const PATTERN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/**
 * Session ids for a shared session store: `<random>.<tag>`, where the tag is
 * an HMAC of the random part under the configured secret. Every instance with
 * the same secret recognises its peers' ids, and a forged or foreign id is
 * refused before any Redis lookup (no store probing, no wasted round trip).
 */
export class SessionHandles {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  mint(): string {
    const random = randomBytes(16).toString("base64url");
    return `${random}.${this.#tag(random).toString("base64url")}`;
  }

  /** True when the id was minted with this secret. Constant time in the tag. */
  verify(id: string): boolean {
    const match = PATTERN.exec(id);
    if (!match) return false;
    const given = Buffer.from(match[2] ?? "", "base64url");
    const expected = this.#tag(match[1] ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #tag(random: string): Buffer {
    return createHmac("sha256", this.#secret)
      .update(`sophia-session:${random}`)
      .digest()
      .subarray(0, TAG_BYTES);
  }
}
