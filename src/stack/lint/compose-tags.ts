/**
 * The Compose override tags. `!reset` removes what earlier files set; `!override`
 * replaces it without the merge rules. The loader turns tagged YAML nodes into
 * these values; `mergeCompose` consumes them, so none survive a merge.
 */

/** `!reset`: the key is removed from the merged model. */
export class ResetValue {
  readonly tag = "!reset";
}

/** `!override`: `value` replaces what earlier files set, unmerged. */
export class OverrideValue {
  readonly tag = "!override";
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

export function isTagged(value: unknown): value is ResetValue | OverrideValue {
  return value instanceof ResetValue || value instanceof OverrideValue;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isTagged(value);
}

/** Sets a key safely even when it is `__proto__` (keys come from untrusted YAML). */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Resolves tags inside a value that has nothing under it to merge with. */
export function stripTags(value: unknown): unknown {
  if (value instanceof OverrideValue) return stripTags(value.value);
  if (value instanceof ResetValue) return null;
  if (Array.isArray(value)) return value.map(stripTags);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!(item instanceof ResetValue)) setKey(out, key, stripTags(item));
  }
  return out;
}
