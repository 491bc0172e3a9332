import { serve } from "@hono/node-server";
import { createDb, migrate } from "@remit/db";
import { createApp } from "./app";
import { parseEnv } from "./env";

const env = parseEnv(process.env);
const handle = createDb({
  url: env.DATABASE_URL,
  dataDir: `${env.REMIT_DATA_DIR}/pglite`,
  maxConnections: env.DATABASE_POOL_SIZE,
});
// Migrations are idempotent; applying them at start-up is what makes `pnpm dev` a one-step start
// on a fresh clone. In production run `pnpm db:migrate` as the owner role instead.
await migrate(handle);

const app = createApp({ db: handle.db, databaseKind: handle.kind });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const where =
    handle.kind === "pglite" ? `embedded PGlite in ${env.REMIT_DATA_DIR}` : "PostgreSQL";
  console.log(`Remit API listening on http://${info.address}:${info.port} (${where})`);
});

// Graceful shutdown: stop accepting, let requests in flight finish, then close the pool.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close(async () => {
      await handle.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
