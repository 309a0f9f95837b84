/** Globs for policy names: `*` any run of characters, `?` one character; case-insensitive. */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .normalize("NFKC")
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${body}$`, "isu");
    if (cache.size < 10_000) cache.set(glob, re);
  }
  return re;
}

export function matchesAny(globs: readonly string[], value: string): boolean {
  for (const glob of globs) if (globToRegExp(glob).test(value)) return true;
  return false;
}
