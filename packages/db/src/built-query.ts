import type { Query } from "drizzle-orm";
import * as drizzle from "drizzle-orm";
import { type PgSession, QueryBuilder, type SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import type { Database, Transaction } from "./types";

/*
 * A select whose SQL text is built once. Drizzle builds a query's text from its parts on every
 * execution (every column, condition and fragment walked and escaped again): for the inbox's
 * page, with its dozen sub-selects, that was most of Drizzle's share of a call's CPU
 * (docs/benchmarks.md, bench:api). A query built here with `sql.placeholder(...)` for what
 * changes from call to call keeps its text, parameter list and ordered fields, and each run
 * only fills the placeholders and hands the same text to the driver (prepared once per
 * connection, prepared-statements.ts).
 *
 * It runs through the given database's or transaction's own session, exactly as Drizzle's
 * select().execute() does (session.prepareQuery with the ordered fields, in array mode, then
 * execute with the values), so the rows are decoded by the same code; only the text is not
 * rebuilt. test/built-query.test.ts checks the rows and the text against Drizzle's own.
 */

/** What a select built by QueryBuilder offers: its text and its result type. */
interface BuildableSelect<Row> {
  toSQL(): Query;
  readonly _: { readonly result: Row[] };
}

/** The select's internals that PgSelect's own prepare() reads (pinned drizzle-orm version). */
interface SelectInternals {
  config: { fields: Record<string, unknown> };
  joinsNotNullableMap?: Record<string, boolean>;
}

export interface BuiltQuery<Row> {
  /** The statement's text, the same on every run. */
  readonly text: string;
  /** The result's columns in order, named as the rows' fields are (nested ones joined by "."). */
  readonly columns: readonly string[];
  /** The values of the text's $1, $2, …: its placeholders filled from values, as run() binds them. */
  parameters(values?: Record<string, unknown>): unknown[];
  /** Runs it in db (a tenant transaction or a database), the placeholders filled from values. */
  run(db: Database | Transaction, values?: Record<string, unknown>): Promise<Row[]>;
}

const builder = new QueryBuilder();

/**
 * Drizzle's own ordering of a selection into result columns, as PgSelect's prepare() uses it:
 * exported by drizzle-orm's entry point but not declared (drizzle-orm is pinned to an exact
 * version; test/built-query.test.ts checks the rows against Drizzle's own select).
 */
const orderSelectedFields = (
  drizzle as unknown as { orderSelectedFields: (fields: Record<string, unknown>) => unknown }
).orderSelectedFields;

/**
 * build(qb) is called once, with a QueryBuilder (no database): the select it returns is the
 * statement every run executes.
 */
export function builtQuery<Row>(
  build: (qb: QueryBuilder) => BuildableSelect<Row>,
): BuiltQuery<Row> {
  const select = build(builder);
  const query = select.toSQL();
  // As PgSelect's own prepare(): the fields in result order, and which joined tables' columns
  // are nullable (a left join's table is null when all of its columns are).
  const internals = select as unknown as SelectInternals;
  const fields = orderSelectedFields(internals.config.fields) as SelectedFieldsOrdered;
  const joins = internals.joinsNotNullableMap;
  return {
    text: query.sql,
    columns: fields.map((field) => field.path.join(".")),
    parameters: (values = {}) => drizzle.fillPlaceholders(query.params, values),
    async run(db, values = {}) {
      const session = (db as unknown as { session: PgSession }).session;
      const prepared = session.prepareQuery<{ execute: unknown; all: unknown; values: unknown }>(
        query,
        fields,
        undefined,
        true,
      );
      (
        prepared as unknown as { joinsNotNullableMap?: Record<string, boolean> }
      ).joinsNotNullableMap = joins;
      return (await prepared.execute(values)) as Row[];
    },
  };
}
