/** Where upstream credentials come from when `${secret:path}` is used in server headers or env. */
export interface SecretProvider {
  /** Where the values come from, for messages and logs (never a secret). */
  readonly description: string;
  /** Reads every value now: a tree of plain JSON values that `${secret:a.b}` paths point into. */
  read(): Promise<unknown>;
}

/** The value at a dotted path (`a.b.0.c`: array items by index), as text; undefined when absent or not a scalar. */
export function valueAt(tree: unknown, path: string): string | undefined {
  let node = tree;
  for (const segment of path.split(".")) {
    if (Array.isArray(node)) node = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
    else if (typeof node === "object" && node !== null && Object.hasOwn(node, segment))
      node = (node as Record<string, unknown>)[segment];
    else return undefined;
  }
  if (typeof node === "string") return node;
  if (typeof node === "number" || typeof node === "boolean") return String(node);
  return undefined;
}
