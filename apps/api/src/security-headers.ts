/*
 * Headers on every response, whatever produced it (tRPC, better-auth, a file, the SPA, a 404):
 * - nosniff, so that a browser never runs a JSON body or an uploaded file as script or page;
 * - never framed (X-Frame-Options for old browsers, frame-ancestors for the rest);
 * - no Referer sent from our pages: a signed file link in a URL must not leak to other sites;
 * - a CSP: the SPA's page sets its own (web-app.ts); everything else is data, never a page, so
 *   it may load nothing and run nothing (`default-src 'none'; sandbox`);
 * - API answers are never stored by a browser or a proxy (`no-store`), unless the handler
 *   already said how to cache (files: `private, no-store`; hashed assets: a year);
 * - HSTS when the public URL is https.
 */

const dataPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Adds the headers to a finished response (the request middleware in app.ts calls it). */
export function addSecurityHeaders(headers: Headers, options: { https: boolean }): void {
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", "DENY");
  headers.set("referrer-policy", "no-referrer");
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", dataPolicy);
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  if (options.https) {
    headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  }
}
