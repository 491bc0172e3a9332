import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";
import { pipelinedPostgresRunner, registerTenantRunner } from "./tenant-transaction";
import type { Database } from "./types";

export type DbKind = "postgres" | "pglite";

export interface CreateDbOptions {
  /** A PostgreSQL URL. Without one, an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite's data directory (default ./.data/pglite); "memory://" keeps it in memory. */
  dataDir?: string | undefined;
  /** postgres.js pool size (default 10). */
  maxConnections?: number | undefined;
  /**
   * PGlite only: start from this dump of a data directory (PGlite's dumpDataDir) instead of
   * running initdb. The test suite starts each file from one migrated dump this way.
   */
  loadDataDir?: Blob | undefined;
}

export interface DbHandle {
  db: Database;
  kind: DbKind;
  close(): Promise<void>;
}

export const defaultPgliteDir = "./.data/pglite";

/**
 * The one place a database connection is made. With a URL: postgres.js (a pool). Without: an
 * embedded PGlite, so that a fresh clone runs with no server. Both carry the same schema and
 * the same migrations, so RLS and every trigger behave the same on either.
 */
export function createDb(options: CreateDbOptions = {}): DbHandle {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      // A server that is restarting can accept a TCP connection and never answer the startup
      // packet; without a bound, requests waiting on that connection hang (pnpm test:load).
      connect_timeout: 5,
      onnotice: () => {},
      // Keep the server's own error text out of stack traces we log; errors are mapped upstream.
      connection: { application_name: "remit" },
    });
    const db = drizzlePostgres(client, { schema });
    registerTenantRunner(db, pipelinedPostgresRunner(client));
    return {
      db,
      kind: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? defaultPgliteDir;
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir, { loadDataDir: options.loadDataDir });
  return {
    db: drizzlePglite(client, { schema }),
    kind: "pglite",
    close: () => client.close(),
  };
}
