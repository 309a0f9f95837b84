/** The `${NAME}` variables a configuration text reads (without `$${` escapes), sorted. */
export function configVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/(\$*)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)) {
    const dollars = match[1] ?? "";
    // `$${X}` is a literal: an even number of extra `$` before `${` leaves it a reference.
    if (dollars.length % 2 === 0) names.add(match[2]!);
  }
  return [...names].sort();
}
