import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A real HTTP receiver on 127.0.0.1 for webhook tests: it records every request (path, headers,
 * exact body) and answers with the status the test's plan gives for the n-th request.
 */

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: (path: string) => string;
  received: Received[];
  /** The status for the next requests; the last one repeats. */
  answer: (...statuses: number[]) => void;
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let plan: number[] = [200];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const status = plan.length > 1 ? (plan.shift() as number) : (plan[0] ?? 200);
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status >= 400 ? `receiver says ${status}\n${"x".repeat(5000)}` : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    answer: (...statuses) => {
      plan = statuses;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
