/**
 * VS Code's mcp.json is JSONC: JSON with `//` and `/* *\/` comments. Comments
 * are blanked out (newlines kept) so every offset, and so every line and
 * column in messages, stays that of the original file. Trailing commas need
 * no work: the YAML parser that reads the result accepts them.
 */
export function blankJsonComments(text: string): string {
  let out = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const end = stringEnd(text, index);
      out += text.slice(index, end);
      index = end;
    } else if (text.startsWith("//", index) && startsComment(text, index)) {
      const end = text.indexOf("\n", index);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - index);
      index = stop;
    } else if (text.startsWith("/*", index)) {
      const end = text.indexOf("*/", index + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(index, stop).replaceAll(/[^\n]/g, " ");
      index = stop;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** Index just past the closing quote of the string starting at `start` (or the end of the text). */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"' && text[index] !== "\n") {
    index += text[index] === "\\" ? 2 : 1;
  }
  return Math.min(index + 1, text.length);
}

/** `//` after a value or at a line start, never inside an unquoted `http://x`. */
function startsComment(text: string, index: number): boolean {
  return index === 0 || /[\s,{}[\]"]/.test(text[index - 1]!);
}

/** JSON content starts with `{` or `[`, possibly after whitespace, a BOM or comments. */
export function looksLikeJson(text: string): boolean {
  return /^[\s\uFEFF]*[{[]/.test(blankJsonComments(text));
}
