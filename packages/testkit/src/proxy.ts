import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A small round-robin HTTP proxy on loopback, standing in for the load balancer in front of
 * several API processes. Each request goes to the next target. A target that refuses the
 * connection (its process is gone) is skipped for a while and the request is sent to the next
 * one: it never reached the dead one, so sending it again is safe. A request that was in flight
 * when its target died gets 502, as from any load balancer: the client does not know whether it
 * was done. Streams (Server-Sent Events) are passed through as they come.
 */

export interface RoundRobinProxy {
  url: string;
  setTargets(urls: string[]): void;
  /** Requests answered, requests re-sent after a refused connection, and 502s. */
  stats: { requests: number; resent: number; badGateway: number; byTarget: Map<string, number> };
  close(): Promise<void>;
}

/** How long a target that refused a connection is left out of the rotation. */
const downForMs = 2000;

export async function startProxy(targets: string[] = []): Promise<RoundRobinProxy> {
  let rotation = targets.map((url) => ({ url: new URL(url), downUntil: 0 }));
  let next = 0;
  const stats: RoundRobinProxy["stats"] = {
    requests: 0,
    resent: 0,
    badGateway: 0,
    byTarget: new Map(),
  };

  const pick = (tried: Set<string>) => {
    const now = Date.now();
    const candidates = rotation.filter((t) => !tried.has(t.url.host));
    const up = candidates.filter((t) => t.downUntil <= now);
    const pool = up.length > 0 ? up : candidates;
    if (pool.length === 0) return undefined;
    return pool[next++ % pool.length];
  };

  const badGateway = (res: ServerResponse, why: string) => {
    if (res.destroyed || res.writableEnded) return; // the client is gone already
    stats.badGateway++;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`bad gateway: ${why}`);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<string>) => {
    const target = pick(tried);
    if (!target) {
      badGateway(res, "no API process accepts connections");
      return;
    }
    tried.add(target.url.host);
    const upstream = request(
      {
        host: target.url.hostname,
        port: target.url.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "" },
        // A new connection per request: a refused connect is then always before the request.
        agent: false,
      },
      (answer) => {
        stats.requests++;
        stats.byTarget.set(target.url.host, (stats.byTarget.get(target.url.host) ?? 0) + 1);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") {
        target.downUntil = Date.now() + downForMs;
        stats.resent++;
        forward(req, res, body, tried);
        return;
      }
      badGateway(res, error.code ?? error.message);
    });
    // The client went away (an SSE reader stopped): stop the upstream request too.
    res.on("close", () => upstream.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => forward(req, res, Buffer.concat(chunks), new Set()));
    req.on("error", () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setTargets(urls) {
      rotation = urls.map((url) => ({ url: new URL(url), downUntil: 0 }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
