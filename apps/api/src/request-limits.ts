import type { MiddlewareHandler } from "hono";

/*
 * Bounds on what a JSON request may make the server read and parse, checked before tRPC or
 * better-auth see it: the body's size (413), and how deeply its JSON nests (400), since parsing
 * and deserialising recurse once per level. A batch's number of calls is tRPC's own
 * maxBatchSize (app.ts). File uploads stream with their own cap and never pass through here.
 */

export interface RequestLimits {
  /** Largest JSON body accepted, in bytes. */
  maxJsonBytes: number;
  /** Deepest nesting of arrays and objects accepted. */
  maxJsonDepth: number;
}

export const defaultRequestLimits: RequestLimits = { maxJsonBytes: 1024 * 1024, maxJsonDepth: 32 };

class TooLarge extends Error {}

/** Reads the body, stopping at the first byte past the cap. */
async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > max) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** How deeply arrays and objects nest in JSON text, without parsing it; strings are skipped. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return deepest;
}

export function jsonRequestLimits(limits: RequestLimits = defaultRequestLimits): MiddlewareHandler {
  const tooLarge = `the request body is larger than ${Math.round(limits.maxJsonBytes / 1024)} kB, the most accepted`;
  const tooDeep = `the request nests deeper than ${limits.maxJsonDepth} levels, the most accepted`;
  return async (c, next) => {
    const query = c.req.query("input");
    if (query !== undefined && jsonDepth(query) > limits.maxJsonDepth) {
      return c.json({ error: tooDeep }, 400);
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    // Answered at once, from the declared length; Node then reads the body and drops it. Closing
    // the connection instead (with the client still sending) reset it, and the client lost the
    // answer: fetch threw EPIPE on 18 of 30 such uploads. Node's request timeout bounds a slow one.
    if (declared > limits.maxJsonBytes) return c.json({ error: tooLarge }, 413);
    // A GET or HEAD has no body (fetch's Request never carries one). Not asking for it matters:
    // the Node adapter builds a full web Request the first time `body` is read, which cost every
    // tRPC query a few percent of the server's CPU (docs/benchmarks.md).
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const body = c.req.raw.body;
    if (!body) return next();
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(body, limits.maxJsonBytes);
    } catch (error) {
      if (error instanceof TooLarge) {
        c.header("connection", "close");
        return c.json({ error: tooLarge }, 413);
      }
      return c.json({ error: "the request body could not be read" }, 400);
    }
    if (jsonDepth(Buffer.from(bytes).toString("utf8")) > limits.maxJsonDepth) {
      return c.json({ error: tooDeep }, 400);
    }
    // The handlers downstream read the body we now hold, not the stream we used up.
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next();
  };
}
