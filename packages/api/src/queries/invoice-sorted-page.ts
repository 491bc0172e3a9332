import { invoiceDuplicates, invoices, suppliers, type TenantDb } from "@remit/db";
import {
  and,
  asc,
  desc,
  eq,
  gte,
  isNotNull,
  isNull,
  lte,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { InboxColumnFilters, InboxSort } from "./inbox-query";
import { decodeSortCursor, encodeSortCursor, type SortCursor } from "./invoice-cursor";
import { dutiesSeparatedField, dutiesSeparatedOf, inboxItems, inboxRowFields } from "./invoice-row";

/*
 * The inbox's column filters, and its pages sorted by a column (invoice date, due date, total).
 *
 * Each is shaped for an index of drizzle/0016 so that a page reads about a page of rows on a
 * tenant of a million invoices: a sort walks (tenant_id, [status_code,] column, id); a supplier filter
 * walks (tenant_id, supplier_id, created_at, id); "has warnings" a partial index of the invoices
 * that have some; "overdue"/"due soon" a partial index of the unlocked ones by due date (the web
 * inbox sorts by due date when they are on); possible duplicates start from invoice_duplicates,
 * a handful of rows per tenant. A range on a column reads an index range when the page is sorted
 * by that column, which the web inbox does when a range is set. Like the rest of the inbox, each
 * statement names the tenant beside the RLS policy, so that the planner sizes the tenant right.
 */

/** The total in cents, a generated column (drizzle/0016) outside the Drizzle schema. */
const totalCents = sql`${invoices}.total_cents`;

/** "1234.5" → "123450", exactly (no float): the amount as total_cents holds it. */
export function cents(amount: string): string {
  const [whole = "0", fraction = ""] = amount.replace(/^-/, "").split(".");
  const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2) || "0");
  return (amount.startsWith("-") ? -value : value).toString();
}

/** The column filters as conditions on invoices (status, mine and search are the caller's). */
export function columnFilterConditions(
  tenantId: string | SQLWrapper,
  input: InboxColumnFilters,
): SQL[] {
  const where: SQL[] = [];
  if (input.supplierId) where.push(eq(invoices.supplierId, input.supplierId));
  if (input.invoiceDateFrom) where.push(gte(invoices.invoiceDate, input.invoiceDateFrom));
  if (input.invoiceDateTo) where.push(lte(invoices.invoiceDate, input.invoiceDateTo));
  // In cents (drizzle/0016's total_cents): numeric comparisons cannot use an index under RLS.
  if (input.totalMin) where.push(sql`${totalCents} >= ${cents(input.totalMin)}::bigint`);
  if (input.totalMax) where.push(sql`${totalCents} <= ${cents(input.totalMax)}::bigint`);
  if (input.due === "overdue") {
    where.push(sql`not ${invoices.isLocked} and ${invoices.dueDate} < current_date`);
  } else if (input.due === "dueSoon") {
    where.push(
      sql`not ${invoices.isLocked} and ${invoices.dueDate} >= current_date
        and ${invoices.dueDate} <= current_date + 7`,
    );
  }
  // The generated column (drizzle/0016), so that its partial index can serve the filter.
  if (input.hasWarnings) where.push(sql`${invoices}.has_warnings`);
  if (input.possibleDuplicate) {
    where.push(sql`${invoices.id} in (select d.invoice_id from ${invoiceDuplicates} d
      where d.tenant_id = ${tenantId}::uuid)`);
  }
  return where;
}

type ColumnSort = Exclude<InboxSort, "newest" | "oldest">;

interface SortSpec {
  column: AnyPgColumn | SQL;
  /** The column's SQL type, for the cursor's value. */
  type: "date" | "bigint";
  ascending: boolean;
  /** What a cursor's value of this column must look like. */
  keyPattern: RegExp;
  /** Which of search_inbox_matches' arrays holds this column's values (drizzle/0020). */
  matchKeys: "invoiceDates" | "dueDates" | "totals";
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const centsPattern = /^-?\d{1,19}$/;

const sorts: Record<ColumnSort, SortSpec> = {
  invoiceDateAsc: {
    column: invoices.invoiceDate,
    type: "date",
    ascending: true,
    keyPattern: datePattern,
    matchKeys: "invoiceDates",
  },
  invoiceDateDesc: {
    column: invoices.invoiceDate,
    type: "date",
    ascending: false,
    keyPattern: datePattern,
    matchKeys: "invoiceDates",
  },
  dueDateAsc: {
    column: invoices.dueDate,
    type: "date",
    ascending: true,
    keyPattern: datePattern,
    matchKeys: "dueDates",
  },
  dueDateDesc: {
    column: invoices.dueDate,
    type: "date",
    ascending: false,
    keyPattern: datePattern,
    matchKeys: "dueDates",
  },
  totalAsc: {
    column: totalCents,
    type: "bigint",
    ascending: true,
    keyPattern: centsPattern,
    matchKeys: "totals",
  },
  totalDesc: {
    column: totalCents,
    type: "bigint",
    ascending: false,
    keyPattern: centsPattern,
    matchKeys: "totals",
  },
};

export const isColumnSort = (sort: InboxSort): sort is ColumnSort => sort in sorts;

/** How a column sort orders its keys, and where search_inbox_matches hands them over. */
export function sortKeysOf(sort: ColumnSort): Pick<SortSpec, "type" | "ascending" | "matchKeys"> {
  const { type, ascending, matchKeys } = sorts[sort];
  return { type, ascending, matchKeys };
}

/** The cursor a sorted page was asked to continue from, checked; undefined for a first page. */
export function sortCursorOf(input: SortedPageInput): SortCursor | undefined {
  return input.cursor
    ? decodeSortCursor(input.cursor, input.sort, sorts[input.sort].keyPattern)
    : undefined;
}

export interface SortedPageInput {
  sort: ColumnSort;
  cursor?: string | undefined;
  limit: number;
}

/**
 * One page in the column's order, id as the tie-break. Rows with a value come first, in either
 * direction; the rows without one follow in id order. Each part is one row-value comparison on
 * its index, so a page never reads the rows before it: at most two statements per page.
 */
export async function sortedPage(
  db: TenantDb,
  where: SQL[],
  input: SortedPageInput,
): Promise<{
  items: Awaited<ReturnType<typeof inboxItems<Row>>>;
  nextCursor: string | null;
  separationOfDuties: boolean;
}> {
  const spec = sorts[input.sort];
  const after = sortCursorOf(input);
  const want = input.limit + 1;
  let rows: Row[] = [];
  if (!after || after.key !== null) {
    rows = await part(db, spec, [...where, isNotNull(spec.column)], after, want);
  }
  if (rows.length < want) {
    const nullsAfter = after?.key === null ? after : undefined;
    rows.push(
      ...(await part(
        db,
        spec,
        [...where, isNull(spec.column)],
        nullsAfter,
        want - rows.length,
        true,
      )),
    );
  }
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > input.limit && last
      ? encodeSortCursor({ sort: input.sort, key: last.sortKey, id: last.id })
      : null;
  return {
    items: await inboxItems(db, page),
    nextCursor,
    separationOfDuties: dutiesSeparatedOf(rows),
  };
}

type Row = Awaited<ReturnType<typeof part>>[number];

function part(
  db: TenantDb,
  spec: SortSpec,
  where: SQL[],
  after: SortCursor | undefined,
  limit: number,
  nulls = false,
) {
  const conditions = [...where];
  const dir = spec.ascending ? ">" : "<";
  if (after && nulls) conditions.push(sql`${invoices.id} ${sql.raw(dir)} ${after.id}::uuid`);
  else if (after && after.key !== null) {
    conditions.push(
      sql`(${spec.column}, ${invoices.id}) ${sql.raw(dir)} (${after.key}::${sql.raw(spec.type)}, ${after.id}::uuid)`,
    );
  }
  const by = spec.ascending ? asc : desc;
  return db
    .select({
      ...inboxRowFields,
      sortKey: sql<string | null>`${spec.column}::text`,
      dutiesSeparated: dutiesSeparatedField,
    })
    .from(invoices)
    .leftJoin(
      suppliers,
      and(eq(suppliers.tenantId, invoices.tenantId), eq(suppliers.id, invoices.supplierId)),
    )
    .where(and(...conditions))
    .orderBy(...(nulls ? [by(invoices.id)] : [by(spec.column), by(invoices.id)]))
    .limit(limit);
}
