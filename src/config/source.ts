/**
 * Text to value tree. YAML 1.2 reads JSON too, so one parser serves both
 * formats and gives every value a position; JSON(C) only has its comments
 * blanked first. Messages never quote the source, which may hold secrets.
 */
import { LineCounter, parseDocument } from "yaml";
import type { ConfigIssue } from "./issues.ts";
import { blankJsonComments, looksLikeJson } from "./jsonc.ts";
import { type Locate, yamlLocator } from "./locate.ts";

export type Syntax = "yaml" | "json";

export type Source =
  | { ok: true; value: unknown; syntax: Syntax; locate: Locate }
  | { ok: false; syntax: Syntax; issues: ConfigIssue[] };

/** Aliases expanding to more nodes than this are refused (the "billion laughs" attack). */
const MAX_ALIAS_COUNT = 100;

export function parseSource(text: string, syntax?: Syntax): Source {
  const chosen = syntax ?? (looksLikeJson(text) ? "json" : "yaml");
  const body = chosen === "json" ? blankJsonComments(text) : text;
  const lines = new LineCounter();
  const document = parseDocument(body, {
    lineCounter: lines,
    prettyErrors: false,
    merge: chosen === "yaml",
    uniqueKeys: true,
  });
  const locate = (offset: number) => {
    const position = lines.linePos(offset);
    return { line: position.line, column: position.col };
  };
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => ({
      path: [],
      message: `${chosen === "json" ? "JSON" : "YAML"} syntax error: ${error.message}`,
      ...locate(error.pos[0]),
    }));
    return { ok: false, syntax: chosen, issues };
  }
  try {
    const value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { ok: true, value, syntax: chosen, locate: yamlLocator(document, lines) };
  } catch (error) {
    const message = `YAML error: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, syntax: chosen, issues: [{ path: [], message }] };
  }
}
