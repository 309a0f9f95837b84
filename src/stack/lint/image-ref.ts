/** Image references ("registry:5000/org/name:tag@sha256:…") and Compose's `${VAR:-default}`. */

export interface ImageRef {
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

export function parseImageRef(reference: string): ImageRef {
  const [withTag = "", digest] = reference.split("@");
  const slash = withTag.lastIndexOf("/");
  const colon = withTag.lastIndexOf(":");
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon > slash) {
    return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  }
  return { name: withTag, tag: undefined, digest };
}

/** Why an image reference is not pinned, or undefined when it has a version tag or a digest. */
export function unpinnedReason(reference: string): string | undefined {
  const ref = parseImageRef(reference);
  if (ref.digest) return undefined;
  if (ref.tag === undefined || ref.tag === "") return `${reference} has no tag (means latest)`;
  if (ref.tag === "latest") return `${reference} uses the latest tag`;
  return undefined;
}

/**
 * Fills `${VAR:-default}` and `${VAR-default}` with their defaults. The linter
 * reads no environment, so results do not depend on the machine; anything else
 * with a `$` stays, and callers skip values that still hold one.
 */
export function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, (_match, fallback: string) =>
    fallback.replace(/\$\$/g, "$"),
  );
}

export function hasVariable(value: string): boolean {
  return /\$(\{|[A-Za-z_])/.test(value.replace(/\$\$/g, ""));
}
