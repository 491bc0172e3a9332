import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type RelationalSchemaConfig,
  sql,
  type TablesRelationalConfig,
} from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js/session";
import type { Sql, TransactionSql } from "postgres";
import * as schema from "./schema";
import type { Database, Transaction } from "./types";

/** The validated context withTenant binds a transaction to. */
export interface TenantSettings {
  tenantId: string;
  userId: string;
  role: string;
}

/** Opens a transaction bound to one tenant and hands it to fn. */
export type TenantTransactionRunner = <T>(
  settings: TenantSettings,
  fn: (tx: Transaction) => Promise<T>,
) => Promise<T>;

// `set_config('role', 'remit_app', true)` is exactly `SET LOCAL ROLE remit_app`, but unlike SET
// it is a function call and so takes the other three values as bound parameters in the same
// statement. is_local = true everywhere: all four end with the transaction.
const bindContextText = `select set_config('role', 'remit_app', true),
  set_config('app.tenant_id', $1, true),
  set_config('app.user_id', $2, true),
  set_config('app.role', $3, true)`;

const runners = new WeakMap<Database, TenantTransactionRunner>();

export function registerTenantRunner(db: Database, runner: TenantTransactionRunner): void {
  runners.set(db, runner);
}

/** The runner createDb registered for this database, else the portable one. */
export function tenantRunnerFor(db: Database): TenantTransactionRunner {
  return runners.get(db) ?? drizzleTransactionRunner(db);
}

/**
 * Portable: Drizzle's own transaction, then one statement that binds the context. Used for
 * PGlite, where a statement is an in-process call and costs no round trip.
 */
export function drizzleTransactionRunner(db: Database): TenantTransactionRunner {
  return (settings, fn) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'remit_app', true),
        set_config('app.tenant_id', ${settings.tenantId}, true),
        set_config('app.user_id', ${settings.userId}, true),
        set_config('app.role', ${settings.role}, true)`);
      return fn(tx);
    });
}

/**
 * postgres.js: BEGIN and the context statement are pipelined on one reserved connection, so
 * binding the tenant costs no round trip of its own (Drizzle's transaction() would await BEGIN,
 * then the context statement: one more round trip on every request, about a third of a simple
 * request's time). Both are written to the socket, in this order, before anything of fn's can
 * be: fn gets the transaction only after both have answered, so no statement of the request can
 * ever run before the role and tenant are in place.
 *
 * The transaction object is Drizzle's own PostgresJsTransaction over the reserved connection.
 * Savepoints (tx.transaction inside fn) are not supported on it; nothing in Remit nests them.
 */
export function pipelinedPostgresRunner(client: Sql): TenantTransactionRunner {
  const dialect = new PgDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational: RelationalSchemaConfig<TablesRelationalConfig> = {
    fullSchema: schema,
    schema: tables.tables,
    tableNamesMap: tables.tableNamesMap,
  };
  return async (settings, fn) => {
    const connection = await client.reserve();
    try {
      const begin = connection.unsafe("begin").execute();
      // prepare: a named statement, parsed once per connection. Unprepared, postgres.js must
      // first ask the server for the parameter types: a hidden extra round trip every time.
      const bind = connection
        .unsafe(bindContextText, [settings.tenantId, settings.userId, settings.role], {
          prepare: true,
        })
        .execute();
      await Promise.all([begin, bind]);
      // A reserved connection lacks only savepoint() and prepare() of a TransactionSql.
      const txSql = connection as unknown as TransactionSql & Sql;
      const session = new PostgresJsSession(txSql, dialect, relational, {});
      const tx = new PostgresJsTransaction(dialect, session, relational) as unknown as Transaction;
      const result = await fn(tx);
      await connection.unsafe("commit");
      return result;
    } catch (error) {
      // End whatever was opened; outside a transaction ROLLBACK is a harmless warning.
      await connection.unsafe("rollback").catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  };
}
