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
 * postgres.js: the context statement is pipelined with the request's first statement, so
 * binding the tenant costs no round trip of its own (awaiting it first would add one to every
 * request: about a fifth of a simple request's time, see docs/benchmarks.md).
 *
 * Safe because of ordering, not timing: the statement is handed to the transaction's
 * connection before fn receives the transaction, postgres.js writes a connection's statements
 * in the order they are issued, and PostgreSQL runs them in that order. If the context
 * statement fails, the transaction is aborted and every later statement of fn fails with it;
 * none can run without the role and tenant in place. It is prepared (a named statement,
 * parsed once per connection): unprepared, postgres.js first asks the server for the parameter
 * types, a hidden extra round trip.
 *
 * The transaction itself is postgres.js's begin(), exactly as Drizzle's transaction() uses it,
 * so a connection that dies mid-request fails the request cleanly and leaves the pool intact.
 *
 * Drizzle has no public way to wrap a transaction it did not open, so this builds its
 * PostgresJsSession and PostgresJsTransaction as Drizzle's own transaction() does. drizzle-orm
 * is pinned to an exact version for that reason, and test/tenant-transaction-contract.test.ts
 * checks the version and exactly this contract.
 */
export function pipelinedPostgresRunner(client: Sql): TenantTransactionRunner {
  const dialect = new PgDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational: RelationalSchemaConfig<TablesRelationalConfig> = {
    fullSchema: schema,
    schema: tables.tables,
    tableNamesMap: tables.tableNamesMap,
  };
  return async <T>(settings: TenantSettings, fn: (tx: Transaction) => Promise<T>) =>
    (await client.begin(async (txSql) => {
      // Settle into a value, never a rejection left unobserved while fn runs.
      const bound = txSql
        .unsafe(bindContextText, [settings.tenantId, settings.userId, settings.role], {
          prepare: true,
        })
        .execute()
        .then(
          () => undefined,
          (error: unknown) => ({ error }),
        );
      // Drizzle's own transaction() builds its session from exactly this TransactionSql.
      const connection = txSql as unknown as TransactionSql & Sql;
      const session = new PostgresJsSession(connection, dialect, relational, {});
      const tx = transactionOn(dialect, session, relational);
      try {
        const result = await fn(tx);
        const failed = await bound;
        if (failed) throw failed.error;
        return result;
      } catch (error) {
        // If binding failed, that is the real cause; fn's error is only its consequence.
        const failed = await bound;
        throw failed ? failed.error : error;
      }
    })) as T;
}

/**
 * `new PostgresJsTransaction(dialect, session, relational)`, without building the relational
 * query API (`tx.query.<table>`) up front: Drizzle's constructor makes one query builder per
 * table of the schema for every transaction, about 1.5 % of the server's CPU on a small call,
 * and Remit's procedures never use it. The same fields are set as the constructor sets them;
 * `tx.query` is built on first use, exactly as the constructor would have built it
 * (test/tenant-transaction-contract.test.ts uses it).
 */
function transactionOn(
  dialect: PgDialect,
  session: PostgresJsSession<TransactionSql & Sql, Record<string, unknown>, TablesRelationalConfig>,
  relational: RelationalSchemaConfig<TablesRelationalConfig>,
): Transaction {
  const tx = new PostgresJsTransaction(dialect, session, undefined);
  const fields = tx as unknown as { _: unknown; schema: unknown };
  fields._ = {
    schema: relational.schema,
    fullSchema: relational.fullSchema,
    tableNamesMap: relational.tableNamesMap,
    session,
  };
  fields.schema = relational;
  let query: unknown;
  Object.defineProperty(tx, "query", {
    configurable: true,
    enumerable: true,
    get: () => {
      query ??= new PostgresJsTransaction(dialect, session, relational).query;
      return query;
    },
  });
  return tx as unknown as Transaction;
}
