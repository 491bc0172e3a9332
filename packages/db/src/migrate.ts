import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { DbHandle } from "./client";
import { migrationsFolder } from "./image";
import type { Schema } from "./types";

export { migrationsFolder };

/**
 * Applies every pending migration. Idempotent: Drizzle records applied migrations in
 * drizzle.__drizzle_migrations and skips them, and the hand-written SQL guards cluster-wide
 * objects (the remit_app role) that a second database on the same server already has.
 */
export async function migrate(handle: DbHandle): Promise<void> {
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as PgliteDatabase<Schema>, { migrationsFolder });
  } else {
    await migratePostgres(handle.db as PostgresJsDatabase<Schema>, { migrationsFolder });
  }
}
