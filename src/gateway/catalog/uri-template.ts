/**
 * Compiles an RFC 6570 URI template into a matcher. Routing only needs to know
 * whether a URI could have come from a template, so expressions become
 * permissive patterns: simple `{x}` stops at "/", reserved `{+x}`, fragment
 * `{#x}` and the query forms match anything.
 */
export function compileUriTemplate(template: string): RegExp {
  let pattern = "";
  let last = 0;
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    pattern += escapeRegExp(template.slice(last, match.index));
    const operator = match[1]?.[0] ?? "";
    pattern +=
      operator === "+" || operator === "#" || operator === "?" || operator === "&"
        ? ".*"
        : "[^/?#]*";
    last = match.index + match[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  return new RegExp(`^${pattern}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
