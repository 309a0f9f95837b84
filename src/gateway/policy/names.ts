/**
 * Canonical forms of the names and URIs policies match, so that spelling
 * tricks cannot slip past a deny: NFKC folds full-width and compatibility
 * characters, control and invisible characters are refused, as are names
 * mixing Latin letters with look-alike letters of other scripts, and resource
 * URIs are percent-decoded and refused when they hold `.` or `..` segments.
 */
export type Canonical = { ok: true; value: string } | { ok: false; reason: string };

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const LATIN = /\p{Script=Latin}/u;
const OTHER_LOOKALIKE =
  /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}]/u;

/** Names and URIs come from clients: keep at most this many results per kind, oldest dropped first. */
const CACHE_SIZE = 10_000;
const names = new Map<string, Canonical>();
const uris = new Map<string, Canonical>();

function remember(cache: Map<string, Canonical>, key: string, value: Canonical): Canonical {
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
  return value;
}

/** NFKC and the script checks, once per distinct name. */
export function canonicalName(name: string): Canonical {
  return names.get(name) ?? remember(names, name, computeName(name));
}

export function canonicalUri(uri: string): Canonical {
  return uris.get(uri) ?? remember(uris, uri, computeUri(uri));
}

function computeName(name: string): Canonical {
  if (INVISIBLE.test(name))
    return { ok: false, reason: "the name contains control or invisible characters" };
  const value = name.normalize("NFKC");
  if (INVISIBLE.test(value))
    return { ok: false, reason: "the name contains control or invisible characters" };
  if (LATIN.test(value) && OTHER_LOOKALIKE.test(value))
    return {
      ok: false,
      reason: "the name mixes Latin letters with look-alike letters of another script",
    };
  return { ok: true, value };
}

function computeUri(uri: string): Canonical {
  let value = uri;
  // Decode until stable: %252e%252e is %2e%2e is "..".
  for (let i = 0; i < 4 && /%[0-9a-f]{2}/i.test(value); i++) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return { ok: false, reason: "the URI has malformed percent-encoding" };
    }
  }
  const checked = canonicalName(value);
  if (!checked.ok) return checked;
  const path = checked.value.replace(/^[a-z][a-z0-9+.-]*:/i, "").split(/[?#]/, 1)[0]!;
  if (path.split(/[/\\]/).some((segment) => segment === "." || segment === ".."))
    return { ok: false, reason: "the URI contains . or .. path segments" };
  return checked;
}
