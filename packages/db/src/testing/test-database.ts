import { PGlite } from "@electric-sql/pglite";
import { createDb, type DbHandle } from "../client";
import { pgliteLeaderLock } from "../leader-lock";
import { migrate } from "../migrate";
import { pgliteExtensions } from "../pglite-extensions";
import { servePgliteOverWire } from "./pglite-wire";
import { readPgliteDump } from "./template";
import { wireNotifications } from "./wire-notifications";

export interface TestDatabase extends DbHandle {
  /** "postgres" on a real server, "pglite", or "pglite over postgres.js" (see `driver`). */
  label: string;
}

export interface TestDatabaseOptions {
  /** A real PostgreSQL (CI's second pass sets TEST_DATABASE_URL); else an in-memory PGlite. */
  url?: string | undefined;
  /** PGlite: a migrated dump to start from (migratedPgliteDump) instead of initdb + migrate. */
  pgliteDump?: string | undefined;
  /**
   * PGlite: how the code under test reaches it. "pglite" is the embedded production path (the
   * PGlite driver and Drizzle's transaction runner); "postgres.js" is the server production path
   * (postgres.js over the wire protocol, the pipelined tenant runner), with one connection.
   */
  driver?: "pglite" | "postgres.js";
  maxConnections?: number;
}

/**
 * The database a test file runs against: the real PostgreSQL named by `url`, else a fresh
 * in-memory PGlite (from the migrated dump when there is one). Migrations are applied unless
 * the database started from the migrated dump; on a server that is already migrated they are a
 * no-op.
 */
export async function openTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const loadDataDir = options.pgliteDump ? readPgliteDump(options.pgliteDump) : undefined;
  if (!options.url && options.driver === "postgres.js") {
    const pg = new PGlite({ loadDataDir, extensions: pgliteExtensions });
    const wire = await servePgliteOverWire(pg);
    const handle = createDb({ url: wire.url, maxConnections: 1 });
    if (!loadDataDir) await migrate(handle);
    return {
      ...handle,
      // The wire port takes one connection, the pool's: a second one (a LISTEN connection, a
      // leader lock's session) would be refused. One process, one session: hand both out here.
      notifications: wireNotifications(handle.db),
      leaderLock: () => pgliteLeaderLock(),
      label: "pglite over postgres.js",
      async close() {
        await handle.close();
        await wire.close();
        await pg.close();
      },
    };
  }
  const handle = createDb({
    url: options.url,
    dataDir: "memory://",
    maxConnections: options.maxConnections ?? 4,
    loadDataDir,
  });
  if (options.url || !loadDataDir) await migrate(handle);
  return { ...handle, label: handle.kind };
}
