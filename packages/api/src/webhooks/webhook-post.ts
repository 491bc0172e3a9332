import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";

/*
 * One POST to an address checked beforehand (net/webhook-target.ts). The connection goes to that
 * address whatever DNS says now: the request's `lookup` answers with it, while the Host header
 * and TLS (SNI and certificate check) still use the URL's host name. Redirects are not followed
 * (node:http never does; a 3xx is a failed attempt). At most a few hundred bytes of the answer
 * are read, for one short sentence in the delivery log; then the connection is dropped.
 */

export interface PostTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type PostOutcome =
  | { kind: "answered"; statusCode: number; excerpt: string }
  | { kind: "failed"; error: string };

const excerptBytes = 200;

function printable(bytes: Buffer): string {
  return bytes
    .toString("utf8")
    .replace(/[^\x20-\x7e]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
}

export function postWebhook(
  target: PostTarget,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number },
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const pinned: LookupFunction = (_host, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(
          null,
          [{ address: target.address, family: target.family }],
        );
      } else callback(null, target.address, target.family);
    };
    const send = target.url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      target.url,
      {
        method: "POST",
        lookup: pinned,
        agent: false,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Remit-Webhooks/1",
        },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            kind: "answered",
            statusCode: res.statusCode ?? 0,
            excerpt: printable(Buffer.concat(chunks)),
          });
        res.on("data", (chunk: Buffer) => {
          if (size < excerptBytes) chunks.push(chunk.subarray(0, excerptBytes - size));
          size += chunk.length;
          if (size >= excerptBytes) {
            done();
            res.destroy();
          }
        });
        res.on("end", done);
        res.on("error", done);
        res.on("close", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: "failed", error: `no answer within ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => {
      finish({ kind: "failed", error: connectionSentence(error) });
    });
    req.end(body);
  });
}

function connectionSentence(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "the connection was refused";
    case "ECONNRESET":
      return "the connection was reset";
    case "ETIMEDOUT":
      return "the connection timed out";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "the host is unreachable";
    default:
      if (error.code?.startsWith("ERR_TLS") || /certificate|SSL|TLS/i.test(error.message))
        return "the TLS handshake failed (certificate not valid for the host?)";
      return "the request failed before an answer came";
  }
}
