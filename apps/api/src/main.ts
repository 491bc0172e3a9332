import { serve } from "@hono/node-server";
import { createApiDeps } from "@remit/api";
import { createDb, migrate } from "@remit/db";
import pino from "pino";
import { createApp } from "./app";
import { parseEnv } from "./env";

const env = parseEnv(process.env);
const logger = pino({ level: env.LOG_LEVEL });
const handle = createDb({
  url: env.DATABASE_URL,
  dataDir: `${env.REMIT_DATA_DIR}/pglite`,
  maxConnections: env.DATABASE_POOL_SIZE,
});
// Migrations are idempotent; applying them at start-up is what makes `pnpm dev` a one-step start
// on a fresh clone. In production run `pnpm db:migrate` as the owner role instead.
await migrate(handle);

const deps = createApiDeps({
  db: handle.db,
  secret: env.BETTER_AUTH_SECRET,
  baseURL: env.PUBLIC_URL,
  trustedOrigins: env.TRUSTED_ORIGINS,
  jwtExpirySeconds: env.JWT_EXPIRY_SECONDS,
});
const app = createApp({
  deps,
  databaseKind: handle.kind,
  logger,
  trustedOrigins: env.TRUSTED_ORIGINS,
});
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const where =
    handle.kind === "pglite" ? `embedded PGlite in ${env.REMIT_DATA_DIR}` : "PostgreSQL";
  logger.info(`Remit API listening on http://${info.address}:${info.port} (${where})`);
});

// Graceful shutdown: stop accepting, let requests in flight finish, write the buffered
// tenant-context events, then close the pool.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close(async () => {
      await deps.recorder.flush();
      await handle.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
