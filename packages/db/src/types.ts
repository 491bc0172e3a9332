import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Schema = typeof schema;

/** A Drizzle database over either driver (postgres.js or PGlite): same schema, same API. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;

declare const tenantBound: unique symbol;

/**
 * A transaction that withTenant has bound to one tenant (role remit_app, app.* settings set).
 * The brand means a query function that asks for a TenantDb cannot be handed a bare database
 * or an unscoped transaction by mistake.
 */
export type TenantDb = Transaction & { readonly [tenantBound]: true };
