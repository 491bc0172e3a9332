import { getConnInfo } from "@hono/node-server/conninfo";
import {
  type ApiDeps,
  appRouter,
  countAuthAttempt,
  createContext,
  databaseUnavailableMessage,
  exportResponse,
  handleDownload,
  handlePagePreview,
  handleUpload,
  runWithRequestLog,
  toTRPCError,
} from "@remit/api";
import { isDatabaseUnavailable } from "@remit/db";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type Context, Hono } from "hono";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { cors } from "./cors";
import { lateTrpcResponse, withDeadline } from "./deadline";
import { metricsAccess } from "./metrics-access";
import { readiness } from "./readiness";
import { jsonRequestLimits, type RequestLimits } from "./request-limits";
import { addSecurityHeaders } from "./security-headers";
import { type WebAppOptions, webAppHandler } from "./web-app";

export interface AppOptions {
  deps: ApiDeps;
  databaseKind: "postgres" | "pglite";
  logger: Logger;
  trustedOrigins: string[];
  /** The built SPA to serve on the same port; omitted, only the API is served. */
  web?: WebAppOptions;
  /** METRICS_TOKEN: a bearer for /metrics; unset, /metrics answers loopback requests only. */
  metricsToken?: string;
  /** REQUEST_DEADLINE_MS: a tRPC call still unanswered by then gets 503 (default 10 s). */
  requestDeadlineMs?: number;
  /** Caps on JSON requests (request-limits.ts). */
  requestLimits?: RequestLimits;
}

/** The most calls one tRPC batch may carry; the clients' batch links send at most this many. */
export const maxBatchSize = 20;

/** The auth endpoints that take a password: each call counts against the rate limits. */
const credentialEndpoints = new Set(["sign-in/email", "sign-up/email", "change-password"]);

type Env = { Variables: { requestId: string } };

const exposedAuthEndpoints = new Set([
  "sign-up/email",
  "sign-in/email",
  "sign-out",
  "get-session",
  "list-sessions",
  "revoke-session",
  "revoke-other-sessions",
  "change-password",
  "token",
  "jwks",
  "organization/get-invitation",
  "organization/accept-invitation",
  "organization/reject-invitation",
  "organization/list-user-invitations",
]);

/**
 * One HTTP server: better-auth at /api/auth/*, tRPC at /api/trpc, health at /healthz and /readyz.
 * Hono because both better-auth's handler and tRPC's fetch adapter take a web Request and
 * return a Response: no adapter glue, and the same app runs under node-server or in tests.
 */
export function createApp({
  deps,
  databaseKind,
  logger,
  trustedOrigins,
  web,
  metricsToken,
  requestDeadlineMs = 10_000,
  requestLimits,
}: AppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const https = deps.baseURL.startsWith("https:");

  // A request id on every request (or the caller's, if it sent a sane one), and one log line.
  // Everything the request logs runs inside its log context: the tenant and user join the
  // request id on every line once they are resolved (logger.ts).
  app.use(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    await runWithRequestLog(requestId, async () => {
      const started = performance.now();
      await next();
      // On every response, whatever produced it (security-headers.ts). Set on the finished
      // response's own headers: `c.header` after the handler would make Hono rebuild the
      // response around its body as a stream (cors.ts).
      c.res.headers.set("x-request-id", requestId);
      addSecurityHeaders(c.res.headers, { https });
      const ms = performance.now() - started;
      // tRPC calls are timed per procedure (packages/api); everything else by route pattern,
      // never by raw URL (ids in paths would make a label per request). Index 0 is this
      // middleware itself: nothing else matched.
      const route = c.req.routeIndex === 0 ? "unmatched" : routePath(c);
      if (route !== "/api/trpc/*") {
        deps.metrics.observeHttp(c.req.method, route, c.res.status, ms / 1000);
      }
      // Idle workers call job.claim again after every wait: those lines are only worth it when debugging.
      const level = c.req.path === "/api/trpc/job.claim" ? "debug" : "info";
      logger[level](
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms) },
        "request",
      );
    });
  });

  app.use(
    "/api/*",
    cors({
      trustedOrigins,
      allowHeaders: ["content-type", "authorization", "x-request-id", "trpc-accept"],
      exposeHeaders: ["set-auth-token", "set-auth-jwt", "x-request-id"],
    }),
  );

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const result = await readiness(deps, databaseKind);
    return c.json(result.body, result.ok ? 200 : 503);
  });

  // Prometheus metrics: label values are fixed sets only (packages/api/src/metrics).
  app.get("/metrics", async (c) => {
    const access = metricsAccess(metricsToken, { ip: clientIp(c), headers: c.req.raw.headers });
    if (access === "hidden") return c.json({ error: "not found" }, 404);
    if (access === "unauthorized") {
      c.header("www-authenticate", 'Bearer realm="metrics"');
      return c.json({ error: "a metrics token is required" }, 401);
    }
    const { body, contentType } = await deps.metrics.scrape();
    return c.body(body, 200, { "content-type": contentType });
  });

  // Only the better-auth endpoints a client needs are reachable over HTTP. Tenant and member
  // management goes through tRPC, where the tenant context, roles, suspension, audit and the
  // same-answer-for-another-tenant's-id rule apply; better-auth's own organization endpoints
  // (list-members, update, invite, get-full-organization, …) would bypass all of that.
  app.use("/api/auth/*", jsonRequestLimits(requestLimits));
  app.on(["GET", "POST"], "/api/auth/*", async (c) => {
    const endpoint = c.req.path.slice("/api/auth/".length);
    if (!exposedAuthEndpoints.has(endpoint)) return c.json({ error: "not found" }, 404);
    if (c.req.method === "POST" && credentialEndpoints.has(endpoint)) {
      const body = (await c.req.raw
        .clone()
        .json()
        .catch(() => null)) as { email?: unknown } | null;
      const outcome = await countAuthAttempt(deps.db, deps.authLimits, {
        ip: clientIp(c),
        email: typeof body?.email === "string" ? body.email : null,
      });
      if (outcome.limited) {
        c.header("retry-after", String(outcome.retryAfterSeconds));
        return c.json({ error: outcome.message, message: outcome.message }, 429);
      }
    }
    return deps.auth.handler(c.req.raw);
  });

  // Streaming upload, next to tRPC (tRPC does not stream request bodies).
  app.post("/api/invoices/upload", async (c) => {
    const result = await handleUpload(deps, c.req.raw, {
      requestId: c.get("requestId"),
      ip: clientIp(c),
    });
    return c.json(result.body, result.status as ContentfulStatusCode);
  });

  // Page previews from the OCR worker, with its job token (binary, so not through tRPC).
  app.put("/api/jobs/:jobId/pages/:page", async (c) => {
    const result = await handlePagePreview(
      deps,
      c.req.raw,
      { jobId: c.req.param("jobId"), page: c.req.param("page") },
      { requestId: c.get("requestId"), ip: clientIp(c) },
    );
    return c.json(result.body, result.status as ContentfulStatusCode);
  });

  // Invoices as CSV or EN 16931 UBL (a ZIP for many): a file download, so not through tRPC.
  app.get("/api/invoices/export", (c) =>
    exportResponse(deps, c.req.raw, { requestId: c.get("requestId"), ip: clientIp(c) }),
  );

  // Signed downloads for the local driver (the S3 driver's links point at S3 itself).
  app.get("/api/files", (c) =>
    handleDownload(deps, c.req.raw, { requestId: c.get("requestId"), ip: clientIp(c) }),
  );

  app.use("/api/trpc/*", jsonRequestLimits(requestLimits));
  app.all("/api/trpc/*", (c) => {
    const handling = fetchRequestHandler({
      endpoint: "/api/trpc",
      req: c.req.raw,
      router: appRouter,
      maxBatchSize,
      // Identifying the caller reads the database: if it is down, that is a 503, not a bare 500.
      createContext: () =>
        createContext(deps, {
          headers: c.req.raw.headers,
          requestId: c.get("requestId"),
          ip: clientIp(c),
        }).catch((error: unknown) => {
          throw toTRPCError(error);
        }),
      onError: ({ error, path }) => {
        // Only server faults are worth a stack trace; the caller sees a plain sentence either way.
        if (error.code === "INTERNAL_SERVER_ERROR") {
          logger.error(
            { requestId: c.get("requestId"), path, err: error.cause ?? error },
            "procedure failed",
          );
        }
      },
    });
    // A live subscription is meant to stay open; everything else answers within the deadline.
    if (c.req.header("accept")?.includes("text/event-stream")) return handling;
    return withDeadline(handling, requestDeadlineMs, () => {
      logger.warn({ requestId: c.get("requestId"), path: c.req.path }, "request deadline passed");
      return lateTrpcResponse(new URL(c.req.url));
    });
  });

  if (web) {
    const serveWeb = webAppHandler(web);
    app.get("*", (c) =>
      c.req.path.startsWith("/api/") ? c.json({ error: "not found" }, 404) : serveWeb(c),
    );
  }

  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((error, c) => {
    // The upload and preview handlers rethrow what they cannot map; a lost database is a 503.
    if (isDatabaseUnavailable(error)) {
      logger.warn({ requestId: c.get("requestId"), err: error }, "database unavailable");
      return c.json({ error: databaseUnavailableMessage }, 503);
    }
    logger.error({ requestId: c.get("requestId"), err: error }, "unhandled error");
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}

function clientIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
