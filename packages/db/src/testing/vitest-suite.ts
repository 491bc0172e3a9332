import { sql } from "drizzle-orm";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import { createDb } from "../client";
import { migrate } from "../migrate";
import { openReusedPglite } from "./reused-pglite";
import { migratedPgliteDump } from "./template";
import { openTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database";

/*
 * How a package's vitest suite gets its databases (a module of its own: it imports vitest, which
 * the process-level helpers of @remit/testkit must not). Its vitest global setup calls
 * provideTestDatabase once, with the server URL its test/env.ts read (or none); each test file
 * then calls openSuiteDatabase, which needs no environment of its own.
 */

export interface SuiteDatabase {
  /** The real PostgreSQL of CI's second pass, already migrated. */
  url?: string;
  /** Else: the migrated PGlite dump every file starts from. */
  pgliteDump?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    remitSuiteDatabase: SuiteDatabase;
  }
}

// Any constant: it only has to be the same for every test run that migrates this server.
const migrationLock = 7_204_311;

/**
 * For a vitest global setup. On a server: migrate once, before any file runs, holding an advisory
 * lock so that two suites started together do not apply the same migration twice. On PGlite:
 * build (or reuse) the migrated dump.
 */
export async function provideTestDatabase(
  project: TestProject,
  url: string | undefined,
): Promise<void> {
  if (!url) {
    project.provide("remitSuiteDatabase", { pgliteDump: await migratedPgliteDump() });
    return;
  }
  const handle = createDb({ url, maxConnections: 1 });
  try {
    await handle.db.execute(sql`select pg_advisory_lock(${migrationLock})`);
    await migrate(handle);
    await handle.db.execute(sql`select pg_advisory_unlock(${migrationLock})`);
  } finally {
    await handle.close();
  }
  project.provide("remitSuiteDatabase", { url });
}

/**
 * A test file's database: the suite's server, or a PGlite as fresh as one from the migrated dump
 * (the worker's previous file's, cleaned and checked, when it has one: reused-pglite.ts).
 */
export function openSuiteDatabase(
  options: Pick<TestDatabaseOptions, "driver" | "maxConnections"> = {},
): Promise<TestDatabase> {
  const suite = inject("remitSuiteDatabase");
  if (!suite) throw new Error("no suite database: add provideTestDatabase to the global setup");
  if (!suite.url && suite.pgliteDump && options.driver !== "postgres.js") {
    return openReusedPglite(suite.pgliteDump);
  }
  return openTestDatabase({ ...options, url: suite.url, pgliteDump: suite.pgliteDump });
}
