/**
 * PostgreSQL array text ("{1,2,NULL}", '{"a,b","c\\"d"}', "{{1,2},{3,4}}")
 * → nested JS arrays, each element converted by `element`. Pure.
 */
export type ElementParser = (text: string) => unknown;

export function parseArrayLiteral(text: string, element: ElementParser): unknown {
  // A lower bound prefix ("[0:1]={...}") is dropped: JS arrays start at 0.
  let start = 0;
  if (text.charCodeAt(0) === 0x5b) {
    const eq = text.indexOf("=");
    if (eq === -1) return text;
    start = eq + 1;
  }
  const state = { text, pos: start, element };
  if (text.charCodeAt(state.pos) !== 0x7b) return text;
  const result = parseLevel(state);
  return result === undefined ? text : result;
}

interface State {
  text: string;
  pos: number;
  element: ElementParser;
}

/** Parses "{...}" at state.pos; undefined when the text is malformed. */
function parseLevel(state: State): unknown[] | undefined {
  const { text } = state;
  state.pos++; // {
  const out: unknown[] = [];
  if (text[state.pos] === "}") {
    state.pos++;
    return out;
  }
  for (;;) {
    const ch = text[state.pos];
    if (ch === undefined) return undefined;
    if (ch === "{") {
      const inner = parseLevel(state);
      if (inner === undefined) return undefined;
      out.push(inner);
    } else if (ch === '"') {
      const quoted = readQuoted(state);
      if (quoted === undefined) return undefined;
      out.push(state.element(quoted));
    } else {
      const raw = readBare(state);
      out.push(raw === "NULL" ? null : state.element(raw));
    }
    const sep = text[state.pos++];
    if (sep === "}") return out;
    if (sep !== ",") return undefined;
  }
}

function readQuoted(state: State): string | undefined {
  const { text } = state;
  let value = "";
  state.pos++; // opening quote
  for (;;) {
    const ch = text[state.pos++];
    if (ch === undefined) return undefined;
    if (ch === '"') return value;
    if (ch === "\\") {
      const next = text[state.pos++];
      if (next === undefined) return undefined;
      value += next;
    } else value += ch;
  }
}

function readBare(state: State): string {
  const { text } = state;
  const begin = state.pos;
  while (state.pos < text.length) {
    const ch = text.charCodeAt(state.pos);
    if (ch === 0x2c || ch === 0x7d) break; // , }
    state.pos++;
  }
  return text.slice(begin, state.pos).trim();
}
