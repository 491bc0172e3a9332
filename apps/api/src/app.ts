import { type Database, queryRows } from "@remit/db";
import { sql } from "drizzle-orm";
import { Hono } from "hono";

export interface AppDeps {
  db: Database;
  databaseKind: "postgres" | "pglite";
}

/**
 * The HTTP surface. Liveness says the process is up; readiness says it can reach its database
 * (a load balancer stops sending traffic when it cannot). Neither reveals anything of a tenant.
 */
export function createApp({ db, databaseKind }: AppDeps): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await queryRows(db, sql`select 1`);
      return c.json({ status: "ready", database: databaseKind });
    } catch {
      return c.json({ status: "unavailable", database: databaseKind }, 503);
    }
  });
  app.notFound((c) => c.json({ error: "not found" }, 404));
  return app;
}
