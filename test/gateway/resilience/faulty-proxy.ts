import { createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream, standing for a network
 * that breaks: while `failing`, a connection that carries a tools/call is
 * reset after the request was sent (so the call may have run), while pings,
 * lists and streams still pass.
 */
export class FaultyProxy {
  failing = false;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(targetPort: number) {
    this.#server = createServer((client) => {
      const upstream = new (client.constructor as typeof Socket)();
      this.#track(client);
      this.#track(upstream);
      upstream.connect(targetPort, "127.0.0.1");
      client.on("data", (chunk: Buffer) => {
        if (this.failing && chunk.includes("tools/call")) {
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.#server.listen(0, "127.0.0.1", () => {
        const address = this.#server.address();
        resolve(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => this.#sockets.delete(socket));
  }
}
