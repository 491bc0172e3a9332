import { createHash, timingSafeEqual } from "node:crypto";

const loopback = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const proxyHeaders = ["x-forwarded-for", "forwarded", "x-real-ip"];

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Who may scrape /metrics. With METRICS_TOKEN set: `Authorization: Bearer <token>` only,
 * compared as SHA-256 digests in constant time. Without it: loopback only, and not through a
 * proxy on the same host (a request that says it was forwarded came from somewhere else).
 * "hidden" answers 404, as for any other path; "unauthorized" 401.
 */
export function metricsAccess(
  token: string | undefined,
  request: { ip: string | null; headers: Headers },
): "ok" | "hidden" | "unauthorized" {
  if (token) {
    const bearer = request.headers
      .get("authorization")
      ?.replace(/^Bearer\s+/i, "")
      .trim();
    if (!bearer) return "unauthorized";
    return timingSafeEqual(digest(bearer), digest(token)) ? "ok" : "unauthorized";
  }
  const forwarded = proxyHeaders.some((name) => request.headers.has(name));
  return request.ip && loopback.has(request.ip) && !forwarded ? "ok" : "hidden";
}
