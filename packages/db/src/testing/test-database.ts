import { createDb, type DbHandle } from "../client";
import { migrate } from "../migrate";

export interface TestDatabase extends DbHandle {
  /** "postgres" when TEST_DATABASE_URL points the suite at a real server, else "pglite". */
  label: string;
}

/**
 * The database a test file runs against: the real PostgreSQL named by the caller (CI's second
 * pass sets TEST_DATABASE_URL), else a fresh in-memory PGlite. Migrations are applied either
 * way; on a server that is already migrated they are a no-op.
 */
export async function openTestDatabase(options: {
  url?: string | undefined;
  maxConnections?: number;
}): Promise<TestDatabase> {
  const handle = createDb({
    url: options.url,
    dataDir: "memory://",
    maxConnections: options.maxConnections ?? 4,
  });
  await migrate(handle);
  return { ...handle, label: handle.kind };
}
