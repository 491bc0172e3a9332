import {
  auditLog,
  invoiceDuplicates,
  invoices,
  isolationViolations,
  queryRows,
  sqlState,
  withTenant,
} from "@remit/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createWorld, outcome, type World } from "./harness";

/*
 * The clerk's inbox (issue [6/7] item 6), against a real database as remit_app: column sorts that
 * page every invoice exactly once with empty values last, the column filters, possible duplicates
 * kept by the database on both copies, saved views (each person's own), and invoice.bulk running
 * each id through the single-invoice procedure. Speed is `pnpm bench:inbox`'s.
 */

let world: World;
const tag = `cols${crypto.randomUUID().slice(0, 6)}`;
let supplierId: string;

beforeAll(async () => {
  world = await createWorld();
  const admin = await callerFor(world.deps, world.a.admin);
  const supplier = await admin.supplier.create({ name: `${tag} Supplier GmbH` });
  if (!supplier) throw new Error("no supplier");
  supplierId = supplier.id;
  // 300 invoices as the owner: dates, due dates and totals with repeats and gaps (every 7th has
  // none), a third with warnings, every 10th linked to the supplier.
  await world.deps.db.execute(sql`
    insert into invoices (tenant_id, created_by, invoice_number, invoice_date, due_date, total,
      currency, supplier_id, warnings)
    select ${world.tenantA}::uuid, ${world.a.user.userId}::uuid, ${tag} || '-' || g,
      case when g % 7 <> 0 then date '2026-01-01' + (g % 40) end,
      case when g % 7 <> 0 then current_date - 20 + (g % 40) end,
      case when g % 7 <> 0 then (g % 50) * 10.5 end, 'EUR',
      case when g % 10 = 0 then ${supplierId}::uuid end,
      case when g % 3 = 0 then '["total does not match the lines"]'::jsonb else '[]'::jsonb end
    from generate_series(1, 300) g`);
});

afterAll(async () => {
  await world?.close();
});

type Caller = Awaited<ReturnType<typeof callerFor>>;
type ListInput = Parameters<Caller["invoice"]["list"]>[0];

async function all(caller: Caller, input: ListInput) {
  const rows: Awaited<ReturnType<Caller["invoice"]["list"]>>["items"] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await caller.invoice.list({ ...input, limit: 23, cursor });
    rows.push(...answer.items);
    if (!answer.nextCursor) return rows;
    cursor = answer.nextCursor;
  }
  throw new Error("the cursor does not advance");
}

const mine = <T extends { invoiceNumber: string | null }>(rows: T[]): T[] =>
  rows.filter((r) => r.invoiceNumber?.startsWith(`${tag}-`));

describe("column sorts", () => {
  const columns = [
    ["invoiceDate", (r: { invoiceDate: string | null }) => r.invoiceDate],
    ["dueDate", (r: { dueDate: string | null }) => r.dueDate],
    ["total", (r: { total: string | null }) => (r.total === null ? null : Number(r.total))],
  ] as const;
  it.each(columns)(
    "by %s, both ways: every invoice once, in order, empty values last",
    async (name, key) => {
      const user = await callerFor(world.deps, world.a.user);
      for (const dir of ["Asc", "Desc"] as const) {
        const rows = mine(await all(user, { sort: `${name}${dir}` as never }));
        expect(rows).toHaveLength(300);
        expect(new Set(rows.map((r) => r.id)).size).toBe(300);
        const keys = rows.map((r) => key(r as never) as string | number | null);
        const firstNull = keys.indexOf(null);
        expect(keys.slice(firstNull).every((k) => k === null)).toBe(true);
        const values = keys.slice(0, firstNull) as Array<string | number>;
        const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        expect(values).toEqual(dir === "Asc" ? sorted : sorted.reverse());
      }
    },
  );

  it("pages a status tab by a column", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const rows = await all(user, { status: "draft", sort: "totalDesc" });
    expect(mine(rows)).toHaveLength(300);
  });

  it("refuses a cursor of another sort; takes a search with a column sort or a filter", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const { nextCursor } = await user.invoice.list({ sort: "totalAsc", limit: 2 });
    expect(nextCursor).toBeTruthy();
    await expect(
      user.invoice.list({ sort: "dueDateAsc", cursor: nextCursor ?? "" }),
    ).rejects.toThrow(/cursor is not valid/);
    // Combinable since drizzle/0018 (inbox-search-filters.test.ts checks them against brute force).
    expect(mine(await all(user, { sort: "totalAsc", q: tag }))).toHaveLength(300);
    expect(mine(await all(user, { q: tag, hasWarnings: true }))).toHaveLength(100);
  });
});

describe("column filters", () => {
  it("supplier, date range, amount range, due, warnings — each as the rows say", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const everything = mine(await all(user, {}));
    const check = async (input: ListInput, keep: (r: (typeof everything)[number]) => boolean) => {
      const got = mine(await all(user, input))
        .map((r) => r.id)
        .sort();
      const want = everything
        .filter(keep)
        .map((r) => r.id)
        .sort();
      expect(want.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
    };
    await check({ supplierId }, (r) => r.supplierId === supplierId);
    await check(
      { invoiceDateFrom: "2026-01-10", invoiceDateTo: "2026-01-20", sort: "invoiceDateAsc" },
      (r) =>
        r.invoiceDate !== null && r.invoiceDate >= "2026-01-10" && r.invoiceDate <= "2026-01-20",
    );
    await check(
      { totalMin: "100.00", totalMax: "200.00", sort: "totalDesc" },
      (r) => r.total !== null && Number(r.total) >= 100 && Number(r.total) <= 200,
    );
    const today = new Date().toISOString().slice(0, 10);
    await check(
      { due: "overdue", sort: "dueDateAsc" },
      (r) => r.dueDate !== null && r.dueDate < today,
    );
    await check({ hasWarnings: true }, (r) => r.warnings.length > 0);
    await expect(user.invoice.list({ totalMin: "20.00", totalMax: "10.00" })).rejects.toThrow(
      /minimum is above its maximum/,
    );
  });
});

/** Sets what the reading "found" on an invoice, as a finished extraction does. */
async function read(invoiceId: string, fields: Record<string, string>) {
  const extraction = {
    fields: Object.fromEntries(
      Object.entries(fields).map(([k, value]) => [
        k,
        { value, confidence: 0.9, page: 1, box: null },
      ]),
    ),
  };
  await withTenant(
    world.deps.db,
    { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
    (tx) => tx.update(invoices).set({ extraction }).where(eq(invoices.id, invoiceId)),
  );
}

describe("possible duplicates", () => {
  it("are flagged on both copies by number, total and date as read, with no supplier linked", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    const one = await admin.invoice.create({ lineItems: [] });
    const two = await admin.invoice.create({ lineItems: [] });
    const fields = {
      invoiceNumber: `${tag}-R1`,
      total: "99.90",
      invoiceDate: "2026-02-03",
      supplierName: "Kessler Brau",
    };
    await read(one.id, fields);
    await read(two.id, fields);
    const rows = await all(admin, { possibleDuplicate: true });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(one.id)?.possibleDuplicateOf).toBe(two.id);
    expect(byId.get(two.id)?.possibleDuplicateOf).toBe(one.id);
    // The supplier as read, where none is linked.
    expect(byId.get(one.id)?.readSupplierName).toBe("Kessler Brau");
    // A different total is another invoice; deleting a copy clears the other.
    await read(two.id, { ...fields, total: "99.91" });
    const after = new Map((await all(admin, {})).map((r) => [r.id, r]));
    expect(after.get(one.id)?.possibleDuplicateOf).toBeNull();
    expect(after.get(two.id)?.possibleDuplicateOf).toBeNull();
    await read(two.id, fields);
    await admin.invoice.delete({ id: two.id });
    const left = new Map((await all(admin, {})).map((r) => [r.id, r]));
    expect(left.get(one.id)?.possibleDuplicateOf).toBeNull();
  });

  it("are flagged by linked supplier and number, and never across tenants", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    const other = await callerFor(world.deps, world.b.admin);
    const number = `${tag}-S1`;
    const first = await admin.invoice.create({ supplierId, invoiceNumber: number, lineItems: [] });
    const foreign = await other.invoice.create({ invoiceNumber: number, lineItems: [] });
    await read(first.id, { invoiceNumber: number, total: "5.00", invoiceDate: "2026-02-01" });
    await withTenant(
      world.deps.db,
      { tenantId: world.tenantB, userId: world.b.admin.userId, role: "admin" },
      (tx) =>
        tx
          .update(invoices)
          .set({
            extraction: {
              fields: {
                invoiceNumber: { value: number },
                total: { value: "5.00" },
                invoiceDate: { value: "2026-02-01" },
              },
            },
          })
          .where(eq(invoices.id, foreign.id)),
    );
    expect(
      (await admin.invoice.list({ possibleDuplicate: true })).items.map((r) => r.id),
    ).not.toContain(first.id);
    const second = await admin.invoice.create({ supplierId, invoiceNumber: number, lineItems: [] });
    const flagged = new Map((await all(admin, { possibleDuplicate: true })).map((r) => [r.id, r]));
    expect(flagged.get(first.id)?.possibleDuplicateOf).toBe(second.id);
    expect(flagged.get(second.id)?.possibleDuplicateOf).toBe(first.id);
    expect((await other.invoice.list({ possibleDuplicate: true })).items).toEqual([]);
  });

  it("page in received order, each flagged invoice once, in a tab, with mine and a search", async () => {
    // 80 copies in 40 pairs inserted in one statement: one created_at for all, so the order
    // rests on the id tie-break; half are the user's, so "mine" keeps some of each pair.
    const dup = `${tag}-P`;
    await world.deps.db.execute(sql`
      insert into invoices (tenant_id, created_by, invoice_number, supplier_id)
      select ${world.tenantA}::uuid,
        case when g % 2 = 0 then ${world.a.user.userId}::uuid else ${world.a.admin.userId}::uuid end,
        ${dup} || (g / 2), ${supplierId}::uuid
      from generate_series(0, 79) g`);
    const flagged = await queryRows<{ id: string; created_by: string }>(
      world.deps.db,
      sql`
      select i.id, i.created_by from invoices i
        join invoice_duplicates d on d.tenant_id = i.tenant_id and d.invoice_id = i.id
                                 and d.invoice_created_at = i.created_at
       where i.tenant_id = ${world.tenantA}::uuid
       order by i.created_at, i.id`,
    );
    const expected = flagged.map((r) => r.id);
    const admin = await callerFor(world.deps, world.a.admin);
    const user = await callerFor(world.deps, world.a.user);
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
    expect(ids(await all(admin, { possibleDuplicate: true, sort: "oldest" }))).toEqual(expected);
    expect(ids(await all(admin, { possibleDuplicate: true }))).toEqual([...expected].reverse());
    expect(ids(await all(admin, { possibleDuplicate: true, status: "draft" }))).toEqual(
      [...expected].reverse(),
    );
    expect(await all(admin, { possibleDuplicate: true, status: "verified" })).toEqual([]);
    const users = flagged.filter((r) => r.created_by === world.a.user.userId).map((r) => r.id);
    expect(users.length).toBeGreaterThanOrEqual(40);
    expect(ids(await all(user, { possibleDuplicate: true, mine: true }))).toEqual(users.reverse());
    const searched = ids(await all(admin, { possibleDuplicate: true, q: dup }));
    expect(searched).toHaveLength(80);
    expect(searched).toEqual([...expected].reverse().filter((id) => searched.includes(id)));
  });

  it("cannot be written by remit_app itself, only by the database's triggers", async () => {
    const [row] = await world.deps.db.select().from(invoiceDuplicates).limit(1);
    expect(row).toBeTruthy();
    const attempt = (statement: ReturnType<typeof sql>) =>
      withTenant(
        world.deps.db,
        { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
        (tx) => tx.execute(statement),
      ).then(
        () => "ok",
        (error) => sqlState(error),
      );
    expect(
      await attempt(sql`delete from invoice_duplicates where invoice_id = ${row?.invoiceId}`),
    ).toBe("42501");
    expect(
      await attempt(sql`insert into invoice_duplicates (tenant_id, invoice_id, duplicate_of, invoice_created_at)
        values (${world.tenantA}, ${row?.duplicateOf}, ${row?.invoiceId}, now())
        on conflict do nothing`),
    ).toBe("42501");
  });
});

describe("saved views", () => {
  it("are each person's own, in their tenant only", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const colleague = await callerFor(world.deps, world.a.verifier);
    const other = await callerFor(world.deps, world.b.admin);
    const view = await user.view.create({
      name: "Overdue with warnings",
      query: { due: "overdue", hasWarnings: true, sort: "dueDateAsc" },
    });
    expect((await user.view.list()).map((v) => v.name)).toContain("Overdue with warnings");
    expect(await colleague.view.list()).toEqual([]);
    expect(await other.view.list()).toEqual([]);
    expect(await outcome(() => colleague.view.delete({ id: view.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => other.view.delete({ id: view.id }))).toBe("NOT_FOUND");
    expect(
      await outcome(() => user.view.create({ name: "Overdue with warnings", query: {} })),
    ).toBe("PRECONDITION_FAILED");
    expect(
      await outcome(() => user.view.create({ name: "bad", query: { sort: "sideways" } as never })),
    ).toBe("BAD_REQUEST");
    // Under RLS as remit_app: a row in another person's name is refused.
    const refused = await withTenant(
      world.deps.db,
      { tenantId: world.tenantA, userId: world.a.user.userId, role: "user" },
      (tx) =>
        tx.execute(sql`insert into inbox_views (tenant_id, user_id, name, query)
          values (${world.tenantA}, ${world.a.verifier.userId}, 'x', '{}')`),
    ).then(
      () => "ok",
      (error) => sqlState(error),
    );
    expect(refused).toBe("42501");
    await user.view.delete({ id: view.id });
    expect(await user.view.list()).toEqual([]);
  });
});

describe("invoice.bulk", () => {
  async function ready(n: number) {
    const admin = await callerFor(world.deps, world.a.admin);
    const user = await callerFor(world.deps, world.a.user);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const inv = await admin.invoice.create({
        supplierId,
        invoiceNumber: `${tag}-B${crypto.randomUUID().slice(0, 8)}`,
        invoiceDate: "2026-02-01",
        currency: "EUR",
        total: "12.00",
        lineItems: [],
      });
      ids.push(inv.id);
    }
    return { admin, user, ids };
  }

  it("verifies each id as one by one; one that cannot be is reported, the others stand", async () => {
    const { user, ids } = await ready(3);
    await user.invoice.submit({ id: ids[0] ?? "" });
    await user.invoice.submit({ id: ids[1] ?? "" });
    // ids[2] stays a draft: it cannot be verified.
    const verifier = await callerFor(world.deps, world.a.verifier);
    const answer = await verifier.invoice.bulk({ action: "verify", ids });
    expect(answer.failed).toBe(1);
    expect(answer.results.map((r) => r.ok)).toEqual([true, true, false]);
    const failure = answer.results[2];
    expect(failure && !failure.ok && failure.message).toMatch(/draft/);
    const statuses = await world.deps.db
      .select({ id: invoices.id, status: invoices.status })
      .from(invoices)
      .where(inArray(invoices.id, ids));
    expect(new Map(statuses.map((s) => [s.id, s.status]))).toEqual(
      new Map([
        [ids[0], "verified"],
        [ids[1], "verified"],
        [ids[2], "draft"],
      ]),
    );
    // The audit rows are those of one-by-one verification: one per verified invoice.
    const audit = await world.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "invoice.verify"), inArray(auditLog.entityId, ids)));
    expect(audit.map((a) => a.entityId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(audit.every((a) => a.actorId === world.a.verifier.userId)).toBe(true);
    expect(Object.keys(audit[0]?.summary ?? {}).sort()).toEqual(["after", "before"]);
  });

  it("approves under separation of duties, and rejects with the reason on each", async () => {
    const { user, ids } = await ready(2);
    for (const id of ids) await user.invoice.submit({ id });
    const verifier = await callerFor(world.deps, world.a.verifier);
    await verifier.invoice.bulk({ action: "verify", ids });
    // The verifier may not approve what they verified: refused per invoice, as one by one.
    const own = await verifier.invoice.bulk({ action: "approve", ids });
    expect(own.results.every((r) => !r.ok && r.code === "FORBIDDEN")).toBe(true);
    const admin = await callerFor(world.deps, world.a.admin);
    const approved = await admin.invoice.bulk({ action: "approve", ids });
    expect(approved.failed).toBe(0);
    expect(approved.results.every((r) => r.ok && r.status === "approved_to_ap")).toBe(true);
    const again = await admin.invoice.bulk({ action: "reject", ids, reason: "wrong cost centre" });
    expect(again.failed).toBe(2);
  });

  it("a role without the permission is refused once; another tenant's ids are not found, each", async () => {
    const { user, ids } = await ready(2);
    expect(await outcome(() => user.invoice.bulk({ action: "verify", ids }))).toBe("FORBIDDEN");
    expect(await outcome(() => user.invoice.bulk({ action: "reject", ids }))).toBe("BAD_REQUEST");
    const other = await callerFor(world.deps, world.b.admin);
    const answer = await other.invoice.bulk({ action: "delete", ids });
    expect(answer.results.map((r) => !r.ok && r.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    const still = await world.deps.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(inArray(invoices.id, ids));
    expect(still).toHaveLength(2);
    // Each refused id is recorded by the isolation monitor, as it is one by one.
    await world.deps.monitor.flush();
    const seen = await world.deps.db
      .select({ target: isolationViolations.target, procedure: isolationViolations.procedure })
      .from(isolationViolations)
      .where(eq(isolationViolations.callerTenantId, world.tenantB));
    for (const id of ids) {
      expect(seen).toContainEqual({ target: `invoices:${id}`, procedure: "invoice.delete" });
    }
    const own = await user.invoice.bulk({ action: "delete", ids });
    expect(own.failed).toBe(0);
  });
});
