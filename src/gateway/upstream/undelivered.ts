/**
 * A message that provably never reached the server: the connection was
 * refused, or the server rejected its session before processing anything.
 * A request failing this way may be sent again on a fresh connection.
 */
export class NotDeliveredError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NotDeliveredError";
  }
}
