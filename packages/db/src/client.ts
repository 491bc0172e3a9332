import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type LeaderLock, pgliteLeaderLock, postgresLeaderLock } from "./leader-lock";
import { type Notifications, pgliteNotifications, postgresNotifications } from "./notifications";
import { pgliteExtensions } from "./pglite-extensions";
import { preparingStatements } from "./prepared-statements";
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
  /**
   * Where the two connections that need a session of their own go (LISTEN, and the leader
   * lock): a direct PostgreSQL URL when `url` goes through a transaction-mode pooler, which
   * would hand each statement to another server session. Default: `url`.
   */
  sessionUrl?: string | undefined;
  /**
   * PostgreSQL only: prepare every statement (default true; see prepared-statements.ts). Off
   * only behind a transaction-mode pooler without support for prepared statements.
   */
  prepare?: boolean | undefined;
}

export interface DbHandle {
  db: Database;
  kind: DbKind;
  /** LISTEN/NOTIFY; on PostgreSQL, one extra connection, opened by the first listen. */
  notifications: Notifications;
  /** A lock one process at a time holds; on PostgreSQL, one extra connection per lock. */
  leaderLock(name: string): LeaderLock;
  close(): Promise<void>;
}

/** Seconds to wait for a new connection before failing the query that wanted it. */
const connectTimeoutSeconds = 5;

export const defaultPgliteDir = "./.data/pglite";

/** The embedded database's shared buffers (docs/operating.md: about 100 MB less at start). */
const pgliteSharedBuffers = "16MB";

/**
 * The one place a database connection is made. With a URL: postgres.js (a pool). Without: an
 * embedded PGlite, so that a fresh clone runs with no server. Both carry the same schema and
 * the same migrations, so RLS and every trigger behave the same on either.
 */
export function createDb(options: CreateDbOptions = {}): DbHandle {
  if (options.url) {
    const pool = postgres(options.url, {
      max: options.maxConnections ?? 10,
      // A server that is restarting can accept a TCP connection and never answer the startup
      // packet; without a bound, requests waiting on that connection hang (pnpm test:load).
      connect_timeout: connectTimeoutSeconds,
      onnotice: () => {},
      // Keep the server's own error text out of stack traces we log; errors are mapped upstream.
      connection: { application_name: "remit" },
    });
    const client = options.prepare === false ? pool : preparingStatements(pool);
    const db = drizzlePostgres(client, { schema });
    registerTenantRunner(db, pipelinedPostgresRunner(client));
    const url = options.sessionUrl ?? options.url;
    const notifications = postgresNotifications(url, db, { connectTimeoutSeconds });
    const locks: LeaderLock[] = [];
    return {
      db,
      kind: "postgres",
      notifications,
      leaderLock(name) {
        const lock = postgresLeaderLock(url, name, { connectTimeoutSeconds });
        locks.push(lock);
        return lock;
      },
      async close() {
        await Promise.all([notifications.close(), ...locks.map((lock) => lock.release())]);
        await pool.end({ timeout: 5 });
      },
    };
  }
  return pgliteHandle(openPglite(options.dataDir ?? defaultPgliteDir, options.loadDataDir));
}

/** The embedded database as createDb opens it (the test suite reuses one, testing/). */
export function openPglite(dataDir: string, loadDataDir?: Blob): PGlite {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  return new PGlite(dataDir, {
    loadDataDir,
    extensions: pgliteExtensions,
    // PostgreSQL's default 128 MB of shared buffers is resident memory of this process; the
    // embedded database's pages are in the operating system's file cache anyway.
    postgresqlconf: [`shared_buffers=${pgliteSharedBuffers}`],
  });
}

/** The handle of an open PGlite: Drizzle, notifications and the lock over that one instance. */
export function pgliteHandle(client: PGlite): DbHandle {
  const db = drizzlePglite(client, { schema });
  return {
    db,
    kind: "pglite",
    notifications: pgliteNotifications(client, db),
    leaderLock: () => pgliteLeaderLock(),
    close: () => client.close(),
  };
}
