/**
 * Incremental parser for the `data:` fields of a text/event-stream body. Chunks may split
 * lines anywhere; an event is dispatched at the blank line that ends it. Other fields
 * (`id:`, `event:`, `retry:`, comments) are not needed by the benchmark and are skipped.
 */
export interface SseParser {
  push(text: string): void;
}

export function createSseParser(onData: (data: string) => void): SseParser {
  let buffer = "";
  let data: string[] = [];
  const line = (raw: string): void => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text === "") {
      if (data.length > 0) onData(data.join("\n"));
      data = [];
      return;
    }
    if (text.startsWith("data:")) {
      data.push(text.startsWith("data: ") ? text.slice(6) : text.slice(5));
    }
  };
  return {
    push(text: string): void {
      buffer += text;
      let start = 0;
      for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n", start)) {
        line(buffer.slice(start, end));
        start = end + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
