/** Maps a path in the value tree back to a line and column in the source text. */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { ConfigPath } from "./path.ts";

export type Locate = (path: ConfigPath) => { line: number; column: number } | undefined;

/**
 * Walks the document as far as the path exists. A map entry is located at
 * its key, a list item at the item; a path that leaves the document (a
 * missing key, a merged `<<` value) is located at its deepest existing part.
 */
export function yamlLocator(document: Document, lines: LineCounter): Locate {
  return (path) => {
    let node: unknown = document.contents;
    let offset = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
        if (node === undefined) break;
      } else break;
    }
    if (offset === undefined) return undefined;
    const position = lines.linePos(offset);
    return { line: position.line, column: position.col };
  };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
