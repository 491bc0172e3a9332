import { createReadStream, existsSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import type { Context } from "hono";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

export interface WebAppOptions {
  /** The built SPA (apps/web/dist). */
  root: string;
}

/**
 * Serves the built SPA on the API's own port: files under root as they are (hashed assets cached
 * for a year), and index.html for every other path that is not the API's, so that deep links
 * such as /invoices/<id> load the app. A path that resolves outside root is a 404.
 */
export function webAppHandler(options: WebAppOptions) {
  const root = resolve(options.root);
  const index = join(root, "index.html");
  const csp = [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const send = (c: Context, path: string, cache: string) => {
    const type = contentTypes[extname(path)] ?? "application/octet-stream";
    // nosniff, framing and referrer headers are added to every response (security-headers.ts).
    const headers: Record<string, string> = { "content-type": type, "cache-control": cache };
    if (type.startsWith("text/html")) headers["content-security-policy"] = csp;
    const body = Readable.toWeb(createReadStream(path)) as ReadableStream;
    return c.body(body, 200, headers);
  };

  return (c: Context) => {
    if (!existsSync(index)) {
      return c.text("The web app is not built: run `pnpm build` first.", 404);
    }
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.json({ error: "the path is not valid URL encoding" }, 400);
    }
    const wanted = resolve(root, `.${path}`);
    const inside = wanted === root || wanted.startsWith(root + sep);
    if (inside && wanted !== root && existsSync(wanted) && statSync(wanted).isFile()) {
      const immutable = wanted.startsWith(join(root, "assets") + sep);
      return send(c, wanted, immutable ? "public, max-age=31536000, immutable" : "no-cache");
    }
    // A missing asset is a 404, not the app: a stale cached page must not get HTML for its JS.
    if (!inside || extname(c.req.path)) return c.json({ error: "not found" }, 404);
    return send(c, index, "no-cache");
  };
}
