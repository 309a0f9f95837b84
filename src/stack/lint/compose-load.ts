/**
 * Reads one Compose file into plain data (with `!reset`/`!override` as tag
 * values) and records where each key and entry sits, for findings after merging.
 */
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { SophiaError } from "../../shared/errors.ts";
import { entryPathKey } from "./compose-paths.ts";
import { isPlainObject, OverrideValue, ResetValue, setKey } from "./compose-tags.ts";
import type { SourceMap } from "./source-map.ts";
import type { Location } from "./types.ts";

const UNRECORDED: Pick<SourceMap, "record"> = { record: () => undefined };

interface Walk {
  doc: Document;
  file: string;
  lines: LineCounter;
  map: Pick<SourceMap, "record">;
  /** Aliases being expanded, to stop a self-referencing anchor. */
  depth: number;
}

/**
 * Parses `text` (the contents of `file`) and records its locations in `map`.
 * @throws SophiaError LINT_INPUT_INVALID for YAML errors or a top level that is not a mapping
 */
export function loadCompose(
  text: string,
  file: string,
  map: Pick<SourceMap, "record">,
): Record<string, unknown> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    throw new SophiaError(
      "LINT_INPUT_INVALID",
      `${file}:${at.line}:${at.col}: not valid YAML: ${error.message.split("\n")[0]}`,
      { hint: "fix the YAML syntax; `docker compose config` shows the same file's errors" },
    );
  }
  const walk: Walk = { doc, file, lines, map, depth: 0 };
  const value = doc.contents === null ? {} : convert(walk, doc.contents as Node, []);
  if (!isPlainObject(value)) {
    throw new SophiaError("LINT_INPUT_INVALID", `${file}:1:1: a Compose file must be a mapping`, {
      hint: "start the file with top-level keys such as `services:`",
    });
  }
  return value;
}

function at(walk: Walk, node: Node | Alias | null | undefined): Location {
  const offset = node?.range?.[0] ?? 0;
  const pos = walk.lines.linePos(offset);
  return { file: walk.file, line: pos.line, col: pos.col };
}

function convert(walk: Walk, node: Node | Alias, path: string[]): unknown {
  if (isAlias(node)) {
    const target = node.resolve(walk.doc);
    if (!target || walk.depth > 50) return null;
    walk.depth += 1;
    const value = convert(walk, target as Node, path);
    walk.depth -= 1;
    return value;
  }
  const tag = node.tag;
  if (tag === "!reset") return new ResetValue();
  if (tag === "!override") return new OverrideValue(convertUntagged(walk, node, path));
  return convertUntagged(walk, node, path);
}

function convertUntagged(walk: Walk, node: Node, path: string[]): unknown {
  if (isMap(node)) return convertMap(walk, node, path);
  if (isSeq(node)) return convertSeq(walk, node, path);
  if (isScalar(node)) return node.value;
  return null;
}

function convertMap(walk: Walk, node: YAMLMap, path: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const merged: Record<string, unknown>[] = [];
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const valueNode = pair.value as Node | Alias | null;
    if (key === "<<" && valueNode) {
      merged.push(...mergeSources(walk, valueNode, path));
      continue;
    }
    const childPath = [...path, key];
    walk.map.record(childPath, at(walk, keyNode));
    setKey(out, key, valueNode ? convert(walk, valueNode, childPath) : null);
  }
  // YAML merge keys (`<<: *defaults`): explicit keys win over merged ones.
  for (const source of merged) {
    for (const [key, value] of Object.entries(source)) {
      if (!Object.hasOwn(out, key)) setKey(out, key, value);
    }
  }
  return out;
}

function mergeSources(walk: Walk, node: Node | Alias, path: string[]): Record<string, unknown>[] {
  const nodes = isSeq(node) ? (node.items as (Node | Alias)[]) : [node];
  return nodes.map((item) => convert(walk, item, path)).filter(isPlainObject);
}

function convertSeq(walk: Walk, node: YAMLSeq, path: string[]): unknown[] {
  return node.items.map((itemNode, index) => {
    // The entry's name depends on its value: read it once unrecorded, then record under that name.
    const probe = convert({ ...walk, map: UNRECORDED }, itemNode as Node, path);
    const childPath = [...path, entryPathKey(path, probe, index)];
    walk.map.record(childPath, at(walk, itemNode as Node));
    return convert(walk, itemNode as Node, childPath);
  });
}
