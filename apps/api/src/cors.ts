import type { MiddlewareHandler } from "hono";

/*
 * CORS for /api/*: a browser on a trusted origin (TRUSTED_ORIGINS, the web app's) may call the
 * API with credentials and read the headers the clients need; any other origin gets no grant.
 *
 * Hono's own cors middleware does the same, but it sets its headers on `c.res` before the
 * handler runs and appends Vary with `c.header` after it. Both make Hono rebuild the handler's
 * Response around its body as a stream, which the Node adapter must then read chunk by chunk
 * instead of writing the string it holds: about a tenth of a small tRPC call's CPU
 * (docs/benchmarks.md, bench:api). Here the headers go onto the finished response itself.
 */

export interface CorsOptions {
  trustedOrigins: string[];
  /** Request headers a preflight may announce. */
  allowHeaders: string[];
  /** Response headers a browser script may read. */
  exposeHeaders: string[];
}

const allowMethods = "GET,HEAD,PUT,POST,DELETE,PATCH";

export function cors(options: CorsOptions): MiddlewareHandler {
  const trusted = new Set(options.trustedOrigins);
  const allowHeaders = options.allowHeaders.join(",");
  const exposeHeaders = options.exposeHeaders.join(",");
  const grant = (headers: Headers, origin: string | undefined) => {
    // The answer depends on the Origin header, for every origin: caches must keep them apart.
    headers.append("vary", "Origin");
    if (!origin || !trusted.has(origin)) return;
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-credentials", "true");
    headers.set("access-control-expose-headers", exposeHeaders);
  };
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (c.req.method === "OPTIONS") {
      // A preflight: answered here, never by a handler.
      const headers = new Headers();
      grant(headers, origin);
      if (origin && trusted.has(origin)) {
        headers.set("access-control-allow-methods", allowMethods);
        headers.set("access-control-allow-headers", allowHeaders);
        headers.append("vary", "Access-Control-Request-Headers");
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    grant(c.res.headers, origin);
  };
}
