import type { Readable, Writable } from "node:stream";
import type { Logger } from "../../shared/logger.ts";
import { INVALID_REQUEST, PARSE_ERROR } from "../jsonrpc/codes.ts";
import {
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
  validateMessage,
} from "../jsonrpc/messages.ts";
import type { Dispatcher } from "../mcp/dispatcher.ts";
import type { MessageSink } from "../session/message-sink.ts";
import type { Session } from "../session/session.ts";
import { LineSplitter } from "../upstream/line-splitter.ts";

/**
 * The aggregated gateway over stdin/stdout, for desktop clients that only
 * launch local processes. One client, one session; requests run concurrently
 * and answers are written as they complete. Logs must go to stderr.
 */
export class StdioServer {
  readonly #dispatcher: Dispatcher;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #logger: Logger;
  readonly #sink: MessageSink;
  #session: Session | undefined;

  constructor(options: {
    dispatcher: Dispatcher;
    input: Readable;
    output: Writable;
    logger: Logger;
  }) {
    this.#dispatcher = options.dispatcher;
    this.#input = options.input;
    this.#output = options.output;
    this.#logger = options.logger;
    const output = this.#output;
    this.#sink = {
      get open() {
        return output.writable;
      },
      send: (message) => this.#write(message),
    };
  }

  /** Serves until stdin ends. */
  serve(): Promise<void> {
    const splitter = new LineSplitter({
      line: (text) => this.#receive(text),
      oversize: (bytes) => this.#logger.warn({ bytes }, "dropped an oversized message from stdin"),
    });
    return new Promise((resolve) => {
      this.#input.on("data", (chunk: Buffer) => splitter.push(chunk));
      this.#input.on("end", () => {
        if (this.#session) this.#dispatcher.closeSession(this.#session);
        resolve();
      });
    });
  }

  #receive(line: string): void {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.#write({
        jsonrpc: "2.0",
        id: null,
        error: { code: PARSE_ERROR, message: `Parse error: ${(error as Error).message}` },
      });
      return;
    }
    const checked = validateMessage(value);
    if (!checked.ok) {
      this.#write({
        jsonrpc: "2.0",
        id: null,
        error: { code: INVALID_REQUEST, message: `Invalid JSON-RPC message: ${checked.reason}` },
      });
      return;
    }
    void this.#handle(checked.message).catch((error: unknown) =>
      this.#logger.error({ err: String(error) }, "stdio message failed"),
    );
  }

  async #handle(message: JsonRpcMessage): Promise<void> {
    if (isRequest(message) && message.method === "initialize") {
      const { session, result } = await this.#dispatcher.initialize(
        "stdio",
        { kind: "aggregate" },
        message.params,
      );
      session.standalone = this.#sink;
      this.#session = session;
      this.#write({ jsonrpc: "2.0", id: message.id, result });
      return;
    }
    const session = this.#session;
    if (!session) {
      if (isRequest(message)) {
        this.#write({
          jsonrpc: "2.0",
          id: message.id,
          error: { code: INVALID_REQUEST, message: "send initialize first" },
        });
      }
      return;
    }
    if (isRequest(message))
      this.#write(await this.#dispatcher.request(session, message, this.#sink));
    else if (isNotification(message)) this.#dispatcher.notification(session, message);
    else if (isResponse(message)) this.#dispatcher.response(session, message);
  }

  #write(message: JsonRpcMessage): void {
    this.#output.write(`${JSON.stringify(message)}\n`);
  }
}
