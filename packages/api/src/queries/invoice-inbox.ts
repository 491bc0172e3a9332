import {
  type BuiltQuery,
  builtQuery,
  type InvoiceStatus,
  invoiceDuplicates,
  invoiceStatusCounts,
  invoiceStatuses,
  invoices,
  queryRows,
  suppliers,
  type TenantDb,
} from "@remit/db";
import { and, asc, desc, eq, inArray, type Placeholder, type SQL, sql, sum } from "drizzle-orm";
import type { QueryBuilder } from "drizzle-orm/pg-core";
import { hasColumnFilters, type InboxColumnFilters, type InboxSort } from "./inbox-query";
import { decodeInvoiceCursor, encodeInvoiceCursor, type InvoiceCursor } from "./invoice-cursor";
import { dutiesSeparatedField, dutiesSeparatedOf, inboxItems, inboxRowFields } from "./invoice-row";
import {
  columnFilterConditions,
  isColumnSort,
  sortCursorOf,
  sortedPage,
  sortKeysOf,
} from "./invoice-sorted-page";
import { firstAfter } from "./search-sorted-ids";
import { SmallTenants } from "./small-tenants";
import { statusIs } from "./status-code";

/*
 * The inbox: one page of invoices and the per-status counts of its tabs, for tenants with a
 * million invoices as for tenants with ten (docs/scaling.md has the figures and the plans).
 *
 * RLS remains the guarantee: every statement runs under the tenant's policy. Each one also says
 * `tenant_id = <the tenant>` itself, because the planner cannot see through the policy's
 * current_tenant_id() and plans for an average tenant, which for a large tenant means the wrong
 * index. The explicit predicate only narrows what the policy already allows.
 */

export interface InboxFilters {
  mine?: boolean | undefined;
  q?: string | undefined;
}

export interface ListInvoicesInput extends InboxFilters, InboxColumnFilters {
  status?: InvoiceStatus | undefined;
  sort: InboxSort;
  /** nextCursor of the previous page, as given. */
  cursor?: string | undefined;
  limit: number;
}

export interface InboxActor {
  tenantId: string;
  userId: string;
}

/** Shorter searches would match most of the tenant; the words index keeps suffixes of three. */
export const minSearchLength = 3;

/**
 * Under a search the tabs count at most this many matches (one pass, any order); past it, every
 * tab's number is a lower bound and countsCapped lists every status.
 */
export const searchCountCap = 2000;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface SearchResult {
  /** The page's ids (at most limit + 1, in page order), already inside the tenant. */
  ids: string[];
  counts: Partial<Record<InvoiceStatus, number | string>>;
  capped: boolean;
}

/**
 * A search matches the invoice number and what was read from the document (search_text, a
 * generated column, found through the words index on search_words, drizzle/0017), or the name
 * of the supplier the invoice is linked to. Under RLS the planner may not use that index (ILIKE
 * is not LEAKPROOF, so the policy's condition must run first, on every row): the match runs in
 * search_inbox, which returns this tenant's page of ids and the tabs' counts from one index scan
 * when the matches are few. The page is then read under RLS, with the same filters.
 */
async function searchInbox(
  db: TenantDb,
  actor: InboxActor,
  input: ListInvoicesInput & { q: string },
  after: InvoiceCursor | undefined,
): Promise<SearchResult> {
  const [row] = await queryRows<{
    ids: string[] | null;
    counts: SearchResult["counts"];
    capped: boolean;
  }>(
    db,
    sql`select ids, counts, capped from search_inbox(
      ${likePattern(input.q)}, ${input.status ?? null}::invoice_status,
      ${input.mine ? actor.userId : null}::uuid, ${after?.at ?? null}::timestamptz,
      ${after?.id ?? null}::uuid, ${input.sort === "newest"}, ${input.limit + 1}::int,
      ${searchCountCap}::int)`,
  );
  return { ids: row?.ids ?? [], counts: row?.counts ?? {}, capped: row?.capped ?? false };
}

/** A value of the statement, or the placeholder a statement built once fills on each run. */
type Bound = string | Placeholder;

function filters(
  actor: { tenantId: Bound; userId: Bound },
  input: InboxFilters & InboxColumnFilters & { status?: InvoiceStatus | undefined },
): SQL[] {
  const where: SQL[] = [eq(invoices.tenantId, actor.tenantId)];
  if (input.mine) where.push(eq(invoices.createdBy, actor.userId));
  if (input.status) where.push(statusIs(input.status));
  // Supplier, date and amount ranges, due, warnings, duplicates (invoice-sorted-page.ts).
  where.push(...columnFilterConditions(actor.tenantId, input));
  return where;
}

/** created_at in UTC with all six fractional digits: what a cursor must carry. */
const fullPrecisionCreatedAt = sql<string>`to_char(${invoices.createdAt} at time zone 'UTC',
  'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** What one page's statement is bound to: the caller, the cursor's position, the page size. */
interface PageBindings {
  tenantId: Bound;
  userId: Bound;
  after: { at: Bound; id: Bound } | undefined;
  /** A number or placeholder is bound as a parameter; SQL (rowsToRead's) is written in. */
  limit: number | Placeholder | SQL;
}

/** The page sizes a plain page's statement is written for (see rowsToRead), plus the extra row. */
const readSizes = [11, 21, 26, 51, 101] as const;

/**
 * How many rows a small tenant's plain page reads: written into the statement's text, not bound.
 * PostgreSQL keeps a generic plan for a prepared statement only when it looks no dearer than a
 * plan for the values at hand, and with LIMIT as a parameter a generic plan must assume a tenth
 * of the table, so the page was planned afresh on every call (small-tenants.ts says why only a
 * small tenant's page may use the cached plan). The usual page sizes read exactly limit + 1 rows;
 * any other size reads up to the next of them (a few rows more), so that whatever sizes callers
 * ask for, a connection prepares at most five such texts per shape.
 */
export function rowsToRead(limit: number): number {
  const wanted = limit + 1;
  return readSizes.find((size) => size >= wanted) ?? wanted;
}

/** Tenants whose plain pages may use the cached plan, as the tabs' counts last found them. */
export const smallTenants = new SmallTenants();

/** The page's statement: the tab's filters (or ids, or more conditions), in the sort's order. */
function pageSelect(
  qb: QueryBuilder,
  bound: PageBindings,
  input: ListInvoicesInput,
  ids: string[] | undefined,
  more: SQL[],
) {
  // "Possible duplicates" walks invoice_duplicates' (tenant_id, invoice_created_at, invoice_id)
  // index in page order and joins each flagged invoice by key, so a page reads about a page of
  // rows. As `id IN (the flagged)`, the planner read every flagged invoice and sorted them.
  const byDuplicates = input.possibleDuplicate === true;
  const where = [
    ...filters(bound, byDuplicates ? { ...input, possibleDuplicate: false } : input),
    ...more,
  ];
  // The walked order's columns: the invoice's own, or their copies in invoice_duplicates (the
  // same values: the triggers copy created_at, which never changes, and the join is on the id).
  const [atColumn, idColumn] = byDuplicates
    ? [invoiceDuplicates.invoiceCreatedAt, invoiceDuplicates.invoiceId]
    : [invoices.createdAt, invoices.id];
  if (byDuplicates) where.push(eq(invoiceDuplicates.tenantId, bound.tenantId));
  const newest = input.sort === "newest";
  if (ids) where.push(inArray(invoices.id, ids));
  if (bound.after) {
    const { at, id } = bound.after;
    // One row-value comparison: an index condition on (tenant, [creator,] [status,] created_at,
    // id), where `a < x or (a = x and b < y)` would be a filter over every earlier row.
    where.push(
      newest
        ? sql`(${atColumn}, ${idColumn}) < (${at}::timestamptz, ${id}::uuid)`
        : sql`(${atColumn}, ${idColumn}) > (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  // invoice_duplicates' index is DESC NULLS LAST (drizzle/0016), and a plain DESC means NULLS
  // FIRST: the planner does not use the columns' NOT NULL to match the two, and sorted all of
  // the flagged invoices. Spelled as the index is (the same order: no value is NULL), it walks.
  const order = byDuplicates
    ? newest
      ? [sql`${atColumn} desc nulls last`, sql`${idColumn} desc nulls last`]
      : [sql`${atColumn} asc nulls first`, sql`${idColumn} asc nulls first`]
    : newest
      ? [desc(atColumn), desc(idColumn)]
      : [asc(atColumn), asc(idColumn)];
  const query = qb
    .select({
      ...inboxRowFields,
      cursorAt: fullPrecisionCreatedAt,
      dutiesSeparated: dutiesSeparatedField,
    })
    .from(invoices)
    .leftJoin(
      suppliers,
      and(eq(suppliers.tenantId, invoices.tenantId), eq(suppliers.id, invoices.supplierId)),
    )
    .$dynamic();
  // Drizzle writes an SQL limit into the text as it is and binds a number or a placeholder.
  const limit = bound.limit as number;
  return (
    byDuplicates
      ? query.innerJoin(
          invoiceDuplicates,
          and(
            eq(invoiceDuplicates.tenantId, invoices.tenantId),
            eq(invoiceDuplicates.invoiceId, invoices.id),
          ),
        )
      : query
  )
    .where(and(...where))
    .orderBy(...order)
    .limit(limit);
}

type PageQuery = BuiltQuery<ReturnType<typeof pageSelect>["_"]["result"][number]>;

/**
 * A tab's page without column filters, ids or more conditions (the inbox as it opens, and each
 * page after it): its statement built once per shape (mine, status, sort, first page or not),
 * the caller, cursor and page size as placeholders. Drizzle would otherwise build the text of
 * this, the API's most frequent statement, on every call (docs/benchmarks.md, bench:api).
 */
const plainPages = new Map<string, PageQuery>();
const placeholders = {
  tenantId: sql.placeholder("tenantId"),
  userId: sql.placeholder("userId"),
  after: { at: sql.placeholder("at"), id: sql.placeholder("id") },
};

/** The shape's statement: its LIMIT written in (`rows`, for a small tenant) or bound. */
function plainPage(input: ListInvoicesInput, first: boolean, rows: number | null): PageQuery {
  const shape = `${input.mine ? "mine" : "all"} ${input.status ?? "any"} ${input.sort} ${first}`;
  const key = `${shape} ${rows ?? "bound"}`;
  let query = plainPages.get(key);
  if (!query) {
    const bound: PageBindings = {
      ...placeholders,
      after: first ? undefined : placeholders.after,
      limit: rows === null ? sql.placeholder("limit") : sql.raw(String(rows)),
    };
    query = builtQuery((qb) => pageSelect(qb, bound, input, undefined, []));
    plainPages.set(key, query);
  }
  return query;
}

/**
 * What invoice.list sends PostgreSQL for a tenant's plain first page (newest first, no tab,
 * filter or search): the statement's text, its parameters and its result columns, exactly as
 * listPage runs it for a tenant with `invoiceCount` invoices. bench:api's yardstick (the bare
 * server) runs this statement, so that what the bench finds on top of it is the API's own cost
 * and never a richer query than the yardstick's (its hand-copied query had fallen 11 columns and
 * 4 sub-selects behind the inbox's).
 */
export function plainFirstPageStatement(
  actor: InboxActor,
  limit: number,
  invoiceCount: number,
): { text: string; parameters: unknown[]; columns: readonly string[] } {
  const small = smallTenants.admits(invoiceCount);
  const query = plainPage({ sort: "newest", limit }, true, small ? rowsToRead(limit) : null);
  return {
    text: query.text,
    parameters: query.parameters({ ...actor, limit: limit + 1 }),
    columns: query.columns,
  };
}

/** One page of inbox rows: the tab's filters, or a given set of ids (a search's, the waiting queue's). */
export async function listPage(
  db: TenantDb,
  actor: InboxActor,
  input: ListInvoicesInput,
  after: InvoiceCursor | undefined,
  /** A search's page of ids (search_inbox); the filters below still apply to them. */
  ids?: string[],
  /** More conditions (a search's matches, searchedPage). */
  more: SQL[] = [],
) {
  const rows =
    !ids && more.length === 0 && !hasColumnFilters(input)
      ? await plainPage(
          input,
          !after,
          smallTenants.has(actor.tenantId) ? rowsToRead(input.limit) : null,
        ).run(db, {
          tenantId: actor.tenantId,
          userId: actor.userId,
          at: after?.at,
          id: after?.id,
          limit: input.limit + 1,
        })
      : await builtQuery((qb) =>
          pageSelect(qb, { ...actor, after, limit: input.limit + 1 }, input, ids, more),
        ).run(db);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > input.limit && last
      ? encodeInvoiceCursor({ at: last.cursorAt, id: last.id })
      : null;
  return {
    items: await inboxItems(db, page),
    nextCursor,
    /** What each row's allowed actions depend on (invoice.list computes them). */
    separationOfDuties: dutiesSeparatedOf(rows),
  };
}

/**
 * The statuses spelled out: InboxCounts reaches the typed client's published declarations,
 * which stand alone without the database package, so it may not name a type of that package.
 */
type TabStatus = "draft" | "pending_verification" | "verified" | "approved_to_ap" | "paid";
/** Does not compile if TabStatus and the database's statuses ever drift apart. */
export type TabStatusesMatchDatabase = [TabStatus, InvoiceStatus] extends [InvoiceStatus, TabStatus]
  ? true
  : never;
true satisfies TabStatusesMatchDatabase;

export interface InboxCounts {
  counts: Record<TabStatus, number>;
  /** Tabs whose count is a lower bound: the search matched more than searchCountCap. */
  countsCapped: TabStatus[];
}

const zeroCounts = () =>
  Object.fromEntries(invoiceStatuses.map((s) => [s, 0])) as Record<InvoiceStatus, number>;

/**
 * The tabs' counts without a search, under the same "mine": read from invoice_status_counts (a
 * handful of rows per tenant, kept by triggers), never from the invoices.
 */
async function tabCounts(db: TenantDb, actor: InboxActor, input: InboxFilters) {
  const counts = zeroCounts();
  const rows = await (input.mine ? mineCounts : allCounts).run(db, {
    tenantId: actor.tenantId,
    userId: actor.userId,
  });
  for (const row of rows) counts[row.status] = row.n;
  // Every tab of the whole tenant: its size, which decides its page's statement (small-tenants.ts).
  if (!input.mine) {
    const invoiceCount = Object.values(counts).reduce((total, n) => total + n, 0);
    smallTenants.note(actor.tenantId, invoiceCount);
  }
  return counts;
}

/** The counts' statement, built once for all invoices and once for the caller's own. */
const countsQuery = (mine: boolean) =>
  builtQuery((qb) =>
    qb
      .select({
        status: invoiceStatusCounts.status,
        n: sum(invoiceStatusCounts.n).mapWith(Number),
      })
      .from(invoiceStatusCounts)
      .where(
        and(
          eq(invoiceStatusCounts.tenantId, sql.placeholder("tenantId")),
          mine ? eq(invoiceStatusCounts.createdBy, sql.placeholder("userId")) : undefined,
        ),
      )
      .groupBy(invoiceStatusCounts.status),
  );
const allCounts = countsQuery(false);
const mineCounts = countsQuery(true);

/** The tabs' counts under a search, as search_inbox or search_inbox_matches counted them. */
function searchCounts(found: Pick<SearchResult, "counts" | "capped">): InboxCounts {
  const counts = zeroCounts();
  for (const status of invoiceStatuses) counts[status] = Number(found.counts[status] ?? 0);
  // More matches than were counted: every tab's number is a lower bound ("57+"), even a 0.
  return { counts, countsCapped: found.capped ? [...invoiceStatuses] : [] };
}

/**
 * The match of a search as a condition a page's walk checks row by row: exactly what
 * search_inbox matches (its words are a necessary condition of the ILIKE, so leaving them out
 * changes nothing but the plan), for a search too common for search_inbox_matches to list.
 */
function searchCondition(actor: InboxActor, q: string): SQL {
  const pattern = likePattern(q);
  return sql`(${invoices}.search_text ilike ${pattern} or ${invoices.supplierId} in (
    select s.id from ${suppliers} s where s.tenant_id = ${actor.tenantId}::uuid
      and s.name ilike ${pattern}))`;
}

/** Rows read beyond a search's sorted page: see searchedPage. */
const spareRows = 10;

/**
 * A search under a column sort or column filters (drizzle/0018). The search lists its matches
 * (at most searchCountCap, from the words index, with the tabs' counts), and the page is read
 * by the same query as without a search, with "one of these ids" as one more condition: a
 * join on the primary key over a couple of thousand rows at most, or, under a sort without a tab
 * or column filters, over the page's rows only (drizzle/0020's sort keys). A search with more matches
 * than that is common enough that walking the sort's index with the match as a filter fills a
 * page within a few rows. Either way the page and its cursor are the sort's own, so paging is
 * exactly as without a search. The tabs count the search's matches (and "mine"), as a search
 * alone does; like the tabs without a search, they do not narrow by the column filters.
 */
async function searchedPage(
  db: TenantDb,
  actor: InboxActor,
  input: ListInvoicesInput & { q: string },
): Promise<Awaited<ReturnType<typeof listPage>> & InboxCounts> {
  // The sort keys in the order of ids, as one text each (a date as `YYYY-MM-DD`, cents as
  // digits, an empty item for none): the two drivers read a NULL inside an array differently.
  const [found] = await queryRows<{
    ids: string[] | null;
    counts: SearchResult["counts"] | null;
    capped: boolean | null;
    invoiceDates: string | null;
    dueDates: string | null;
    totals: string | null;
  }>(
    db,
    sql`select ids, counts, capped, array_to_string(invoice_dates, ',', '') as "invoiceDates",
        array_to_string(due_dates, ',', '') as "dueDates", array_to_string(totals, ',', '') as totals
      from search_inbox_matches(${likePattern(input.q)},
      ${input.mine ? actor.userId : null}::uuid, ${searchCountCap}::int)`,
  );
  const counts = searchCounts({ counts: found?.counts ?? {}, capped: found?.capped ?? false });
  let ids = found?.ids ?? (found?.capped ? null : []);
  if (ids?.length === 0) {
    return { items: [], nextCursor: null, separationOfDuties: true, ...counts };
  }
  const sort = input.sort;
  if (ids && found && isColumnSort(sort) && !input.status && !hasColumnFilters(input)) {
    // Without a tab or column filters every match belongs in the sort's order ("mine" is the
    // search's own): the page's rows are the first after the cursor by the keys the search
    // read (search-sorted-ids.ts), and only those are read. A few more than the page, so that rows changed or gone between the two
    // statements still leave it full and its next cursor right.
    const order = sortKeysOf(sort);
    const keys = (found[order.matchKeys] ?? "").split(",");
    const matches = ids.map((id, i) => ({ id, key: keys[i] || null }));
    ids = firstAfter(matches, order, sortCursorOf({ ...input, sort }), input.limit + 1 + spareRows);
    if (ids.length === 0) {
      return { items: [], nextCursor: null, separationOfDuties: true, ...counts };
    }
  }
  // The ids as one array literal (uuids from the database): one statement shape for any count,
  // and a join the planner estimates small, so it reads them by primary key.
  const match = ids
    ? sql`${invoices.id} in (select unnest(${`{${ids.join(",")}}`}::uuid[]))`
    : searchCondition(actor, input.q);
  if (isColumnSort(sort)) {
    const page = await sortedPage(db, [...filters(actor, input), match], { ...input, sort });
    return { ...page, ...counts };
  }
  const after = input.cursor ? decodeInvoiceCursor(input.cursor) : undefined;
  return { ...(await listPage(db, actor, input, after, undefined, [match])), ...counts };
}

/**
 * invoice.list: one page of the inbox and the per-status counts of its tabs, with the tenant's
 * separation-of-duties setting read by the page's own statement.
 */
export async function inbox(
  db: TenantDb,
  actor: InboxActor,
  input: ListInvoicesInput,
): Promise<Awaited<ReturnType<typeof listPage>> & InboxCounts> {
  if (input.q && (isColumnSort(input.sort) || hasColumnFilters(input))) {
    return searchedPage(db, actor, { ...input, q: input.q });
  }
  if (isColumnSort(input.sort)) {
    // Sorted by a column (invoice-sorted-page.ts): its own cursor, the same filters and tabs.
    const [page, counts] = await Promise.all([
      sortedPage(db, filters(actor, input), { ...input, sort: input.sort }),
      tabCounts(db, actor, input),
    ]);
    return { ...page, counts, countsCapped: [] };
  }
  const after = input.cursor ? decodeInvoiceCursor(input.cursor) : undefined;
  if (!input.q) {
    const [page, counts] = await Promise.all([
      listPage(db, actor, input, after),
      tabCounts(db, actor, input),
    ]);
    return { ...page, counts, countsCapped: [] };
  }
  const found = await searchInbox(db, actor, { ...input, q: input.q }, after);
  const page =
    found.ids.length > 0
      ? await listPage(db, actor, input, after, found.ids)
      : { items: [], nextCursor: null, separationOfDuties: true };
  return { ...page, ...searchCounts(found) };
}
