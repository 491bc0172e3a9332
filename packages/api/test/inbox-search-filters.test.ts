import { queryRows } from "@remit/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchCountCap } from "../src/queries/invoice-inbox";
import { callerFor, createWorld, type World } from "./harness";

/*
 * A search combined with the inbox's column filters and sorts (drizzle/0018, searchedPage): every
 * page-through equals a brute-force filter and sort of the same rows, read as the owner and
 * checked here in plain code. The rows crowd one millisecond (keyset paging at full precision)
 * and the searches cover both ways a search reads: a list of its matches (at most
 * searchCountCap) and, for a term more common than that, a walk of the sort's index.
 */

let world: World;
const crowd = 2500;
const tag = `sf${crypto.randomUUID().slice(0, 6)}`;
let supplierId: string;
let today: string;

type Truth = {
  id: string;
  at: string;
  invoiceDate: string | null;
  dueDate: string | null;
  cents: string | null;
  hasWarnings: boolean;
  supplierId: string | null;
  supplierName: string | null;
  status: string;
  createdBy: string;
  isLocked: boolean;
  searchText: string;
};
let truth: Truth[];

beforeAll(async () => {
  world = await createWorld();
  const admin = await callerFor(world.deps, world.a.admin);
  const supplier = await admin.supplier.create({ name: `Lieferant${tag} GmbH` });
  if (!supplier) throw new Error("no supplier");
  supplierId = supplier.id;
  // As the owner, in one millisecond (a third on the same microsecond): dates, due dates and
  // totals with repeats and gaps, warnings on a third, every 10th linked to the supplier, every
  // 6th with a supplier as read, every 4th verified, half of them the user's.
  await world.deps.db.execute(sql`
    insert into invoices (tenant_id, created_by, invoice_number, invoice_date, due_date, total,
      currency, supplier_id, warnings, status, extraction, created_at)
    select ${world.tenantA}::uuid,
      case when g % 2 = 0 then ${world.a.user.userId}::uuid else ${world.a.admin.userId}::uuid end,
      ${tag} || '-' || g,
      case when g % 7 <> 0 then date '2026-01-01' + (g % 40) end,
      case when g % 7 <> 0 then current_date - 20 + (g % 40) end,
      case when g % 7 <> 0 then (g % 50) * 10.5 end, 'EUR',
      case when g % 10 = 0 then ${supplierId}::uuid end,
      case when g % 3 = 0 then '["total does not match the lines"]'::jsonb else '[]'::jsonb end,
      (case when g % 4 = 0 then 'verified' else 'draft' end)::invoice_status,
      case when g % 6 = 0 then jsonb_build_object('fields', jsonb_build_object('supplierName',
        jsonb_build_object('value', 'Brauerei' || ${tag} || ' Nord'))) end,
      '2026-03-01 10:00:00.123+00'::timestamptz + (g % 3) * interval '1 microsecond'
    from generate_series(1, ${crowd}) g`);
  truth = await queryRows<Truth>(
    world.deps.db,
    sql`select i.id, to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
          i.invoice_date::text as "invoiceDate", i.due_date::text as "dueDate",
          i.total_cents::text as cents, i.has_warnings as "hasWarnings",
          i.supplier_id as "supplierId", s.name as "supplierName", i.status::text as status,
          i.created_by as "createdBy", i.is_locked as "isLocked", i.search_text as "searchText"
        from invoices i left join suppliers s on s.id = i.supplier_id
        where i.tenant_id = ${world.tenantA}::uuid`,
  );
  const [row] = await queryRows<{ today: string }>(
    world.deps.db,
    sql`select current_date::text as today`,
  );
  today = row?.today ?? "";
});

afterAll(async () => {
  await world?.close();
});

type Caller = Awaited<ReturnType<typeof callerFor>>;
type ListInput = Parameters<Caller["invoice"]["list"]>[0];

async function pageThrough(caller: Caller, input: ListInput) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let counts: Awaited<ReturnType<Caller["invoice"]["list"]>>["counts"] | undefined;
  for (let page = 0; page < 200; page++) {
    const answer = await caller.invoice.list({ ...input, limit: 97, cursor });
    counts ??= answer.counts;
    ids.push(...answer.items.map((i) => i.id));
    if (!answer.nextCursor) return { ids, counts };
    cursor = answer.nextCursor;
  }
  throw new Error("more than 200 pages: the cursor does not advance");
}

const contains = (text: string | null, q: string) =>
  (text ?? "").toLowerCase().includes(q.toLowerCase());
const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);

/** The same question answered by hand: filter, then sort with id as the tie-break. */
function bruteForce(input: NonNullable<ListInput>, userId: string): string[] {
  const q = input.q ?? "";
  const rows = truth.filter(
    (r) =>
      (contains(r.searchText, q) || contains(r.supplierName, q)) &&
      (!input.status || r.status === input.status) &&
      (!input.mine || r.createdBy === userId) &&
      (!input.supplierId || r.supplierId === input.supplierId) &&
      (!input.invoiceDateFrom ||
        (r.invoiceDate !== null && r.invoiceDate >= input.invoiceDateFrom)) &&
      (!input.invoiceDateTo || (r.invoiceDate !== null && r.invoiceDate <= input.invoiceDateTo)) &&
      (!input.totalMin || (r.cents !== null && Number(r.cents) >= Number(input.totalMin) * 100)) &&
      (!input.totalMax || (r.cents !== null && Number(r.cents) <= Number(input.totalMax) * 100)) &&
      (input.due !== "overdue" || (!r.isLocked && r.dueDate !== null && r.dueDate < today)) &&
      (!input.hasWarnings || r.hasWarnings),
  );
  const sort = input.sort ?? "newest";
  if (sort === "newest" || sort === "oldest") {
    const dir = sort === "newest" ? -1 : 1;
    return rows.sort((x, y) => dir * (cmp(x.at, y.at) || cmp(x.id, y.id))).map((r) => r.id);
  }
  const dir = sort.endsWith("Asc") ? 1 : -1;
  const key = (r: Truth): string | number | null =>
    sort.startsWith("total")
      ? r.cents === null
        ? null
        : Number(r.cents)
      : sort.startsWith("invoiceDate")
        ? r.invoiceDate
        : r.dueDate;
  const valued = rows.filter((r) => key(r) !== null);
  const empty = rows.filter((r) => key(r) === null);
  valued.sort((x, y) => dir * (cmp(key(x) ?? 0, key(y) ?? 0) || cmp(x.id, y.id)));
  empty.sort((x, y) => dir * cmp(x.id, y.id));
  return [...valued, ...empty].map((r) => r.id);
}

const combinations: Array<[string, () => NonNullable<ListInput>]> = [
  ["sort amount, highest first", () => ({ sort: "totalDesc" })],
  [
    "invoice date range, sort invoice date",
    () => ({ invoiceDateFrom: "2026-01-10", invoiceDateTo: "2026-01-25", sort: "invoiceDateAsc" }),
  ],
  [
    "amount range, sort amount",
    () => ({ totalMin: "100.00", totalMax: "300.00", sort: "totalAsc" }),
  ],
  ["amount range, newest first", () => ({ totalMin: "100.00", totalMax: "300.00" })],
  ["amount range, sort due date", () => ({ totalMin: "50.00", sort: "dueDateDesc" })],
  ["has warnings, oldest first", () => ({ hasWarnings: true, sort: "oldest" })],
  ["supplier", () => ({ supplierId })],
  [
    "tab verified, overdue, sort due date",
    () => ({ status: "verified", due: "overdue", sort: "dueDateDesc" }),
  ],
  ["mine, sort invoice date, latest first", () => ({ mine: true, sort: "invoiceDateDesc" })],
  ["sort due date, soonest first", () => ({ sort: "dueDateAsc" })],
  ["tab draft, sort due date, soonest first", () => ({ status: "draft", sort: "dueDateAsc" })],
];

const terms: Array<[string, () => string]> = [
  // Every invoice of the crowd: more than search_inbox_matches lists, so the page walks.
  ["a term matching more than the cap", () => tag],
  ["a part of the number", () => `${tag}-1`],
  ["the linked supplier", () => `lieferant${tag}`],
  ["the supplier as read", () => `brauerei${tag}`],
];

describe("search with column filters and sorts", () => {
  it("covers both ways a search reads its page", () => {
    expect(bruteForce({ q: tag }, "").length).toBeGreaterThan(searchCountCap);
    expect(bruteForce({ q: `${tag}-1` }, "").length).toBeLessThan(searchCountCap);
  });

  describe.each(terms)("%s", (_, term) => {
    it.each(combinations)("%s: the brute-force rows, in order, each once", async (_, input) => {
      const user = await callerFor(world.deps, world.a.user);
      const asked = { ...input(), q: term() };
      const want = bruteForce(asked, world.a.user.userId);
      expect(want.length).toBeGreaterThan(0);
      const { ids } = await pageThrough(user, asked);
      expect(ids).toEqual(want);
    });
  });

  it("counts the search's matches in the tabs, as a search alone does", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const q = `${tag}-1`;
    const alone = await user.invoice.list({ q });
    const filtered = await user.invoice.list({ q, hasWarnings: true, sort: "totalDesc" });
    expect(filtered.counts).toEqual(alone.counts);
    expect(filtered.countsCapped).toEqual([]);
    const common = await user.invoice.list({ q: tag, sort: "totalDesc" });
    expect(common.countsCapped.length).toBeGreaterThan(0);
  });

  it("finds nothing for another tenant, filtered or not", async () => {
    const b = await callerFor(world.deps, world.b.admin);
    for (const q of [tag, `${tag}-1`, `lieferant${tag}`]) {
      const answer = await b.invoice.list({ q, sort: "totalDesc", hasWarnings: true });
      expect(answer.items).toEqual([]);
    }
  });
});
