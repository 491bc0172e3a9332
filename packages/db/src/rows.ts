import type { SQL } from "drizzle-orm";
import type { Database, Transaction } from "./types";

/**
 * Runs raw SQL and returns its rows whichever driver is underneath: postgres.js answers with an
 * array, PGlite with `{ rows }`.
 */
export async function queryRows<T extends Record<string, unknown>>(
  db: Database | Transaction,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
