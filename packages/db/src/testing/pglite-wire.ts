import { createServer, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/*
 * PGlite behind a loopback TCP port that speaks the PostgreSQL wire protocol, so that the
 * production driver (postgres.js) and the production tenant runner (the pipelined one) run in
 * the default test pass, which has no PostgreSQL server. PGlite is one backend session, so the
 * port takes one connection at a time: the client pool must have a single connection.
 */

export interface PgliteWire {
  /** A postgres:// URL for postgres.js. */
  url: string;
  close(): Promise<void>;
}

const sslRequestCode = 80877103;

/**
 * Cuts a byte stream into whole protocol messages. The first message of a connection (the
 * startup message, or a request for TLS) has no type byte; every later one does.
 */
class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;

  push(data: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const messages: Buffer[] = [];
    for (;;) {
      const header = this.started ? 5 : 4;
      if (this.pending.length < header) break;
      const length = this.started ? this.pending.readInt32BE(1) + 1 : this.pending.readInt32BE(0);
      if (this.pending.length < length) break;
      const message = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      // A TLS request is answered "no" and followed by the real startup message.
      if (!this.started && !(length === 8 && message.readInt32BE(4) === sslRequestCode)) {
        this.started = true;
      }
      messages.push(message);
    }
    return messages;
  }
}

function serve(pg: PGlite, socket: Socket): void {
  // Replies are small and many: without this, Nagle's algorithm and the client's delayed ACK
  // add some 40 ms to every round trip.
  socket.setNoDelay(true);
  const reader = new MessageReader();
  // One message at a time, in order: PGlite answers each before it takes the next.
  let queue = Promise.resolve();
  socket.on("data", (data: Buffer) => {
    for (const message of reader.push(data)) {
      queue = queue.then(async () => {
        if (socket.destroyed) return;
        if (message.length === 8 && message.readInt32BE(4) === sslRequestCode) {
          socket.write("N");
          return;
        }
        if (message[0] === 0x58 /* Terminate */) {
          socket.end();
          return;
        }
        const reply = await pg.execProtocolRaw(new Uint8Array(message));
        if (reply.length > 0 && !socket.destroyed) socket.write(reply);
      });
      queue = queue.catch(() => {
        socket.destroy();
      });
    }
  });
  socket.on("error", () => socket.destroy());
}

export async function servePgliteOverWire(pg: PGlite): Promise<PgliteWire> {
  // Loading a dump can outlast the client's connect timeout on a busy machine: be ready first.
  await pg.waitReady;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // A second session would interleave its statements with the first one's in PGlite's one
    // backend: refuse it rather than let the two corrupt each other.
    if (sockets.size > 0) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serve(pg, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
