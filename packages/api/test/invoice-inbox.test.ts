import { asAppRole, invoiceStatusCounts, queryRows, sqlState, withTenant } from "@remit/db";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeInvoiceCursor } from "../src/queries/invoice-cursor";
import {
  listPage,
  plainFirstPageStatement,
  rowsToRead,
  searchCountCap,
  smallTenants,
} from "../src/queries/invoice-inbox";
import { SmallTenants } from "../src/queries/small-tenants";
import { callerFor, createWorld, outcome, type World } from "./harness";

/*
 * The inbox at scale, for correctness: cursor paging that returns every invoice exactly once
 * when thousands share a millisecond, the tab counters kept by triggers (and only by them), and
 * search by number, linked supplier, read supplier and the document's text, within the tenant.
 * Speed is measured by `pnpm bench:inbox`, not here.
 */

let world: World;
const crowd = 2500;
const tag = `crowd${crypto.randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  world = await createWorld();
  // Inserted as the owner, the way no request can: every one in the same millisecond, a third
  // of them on the very same microsecond, the rest a microsecond or two apart.
  await world.deps.db.execute(sql`
    insert into invoices (tenant_id, created_by, invoice_number, created_at)
    select ${world.tenantA}::uuid, ${world.a.user.userId}::uuid, ${tag} || '-' || g,
      '2026-03-01 10:00:00.123+00'::timestamptz + (g % 3) * interval '1 microsecond'
    from generate_series(1, ${crowd}) g`);
});

afterAll(async () => {
  await world?.close();
});

async function pageThrough(
  list: (
    cursor: string | undefined,
  ) => Promise<{ items: { id: string }[]; nextCursor: string | null }>,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    const answer = await list(cursor);
    ids.push(...answer.items.map((i) => i.id));
    if (!answer.nextCursor) return ids;
    cursor = answer.nextCursor;
  }
  throw new Error("more than 200 pages: the cursor does not advance");
}

describe("inbox paging", () => {
  it("returns every invoice of a crowded millisecond exactly once, both ways", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const total = (await user.invoice.list({ limit: 1 })).counts.draft;
    expect(total).toBeGreaterThanOrEqual(crowd);
    for (const sort of ["newest", "oldest"] as const) {
      const ids = await pageThrough((cursor) => user.invoice.list({ sort, limit: 97, cursor }));
      expect(ids).toHaveLength(total);
      expect(new Set(ids).size).toBe(total);
    }
  });

  it("pages a search the same way", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const ids = await pageThrough((cursor) => user.invoice.list({ q: tag, limit: 100, cursor }));
    expect(ids).toHaveLength(crowd);
    expect(new Set(ids).size).toBe(crowd);
  });

  it("pages the same way under mine and a status tab", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const ids = await pageThrough((cursor) =>
      user.invoice.list({ mine: true, status: "draft", limit: 100, cursor }),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(crowd);
  });

  it("reads the same pages through the cached plan (a small tenant) as planned per call", async () => {
    // Both statements of the plain page (small-tenants.ts), for every tab shape a page takes:
    // each page size, including ones read to the next of the usual sizes and sliced.
    const actor = { tenantId: world.tenantA, userId: world.a.user.userId, role: "user" as const };
    const readAll = (
      small: boolean,
      input: { mine?: boolean; limit: number; sort: "newest" | "oldest" },
    ) =>
      withTenant(world.deps.db, actor, async (db) => {
        const ids: string[] = [];
        let after: ReturnType<typeof decodeInvoiceCursor> | undefined;
        for (let page = 0; page < 1000; page++) {
          smallTenants.note(world.tenantA, small ? 1 : Number.MAX_SAFE_INTEGER);
          const answer = await listPage(db, actor, input, after);
          expect(answer.items.length).toBeLessThanOrEqual(input.limit);
          ids.push(...answer.items.map((item) => item.id));
          if (!answer.nextCursor) return ids;
          after = decodeInvoiceCursor(answer.nextCursor);
        }
        throw new Error("the cursor does not advance");
      });
    for (const input of [
      { limit: 50, sort: "newest" as const },
      { limit: 97, sort: "oldest" as const },
      { mine: true, limit: 7, sort: "newest" as const },
    ]) {
      const cached = await readAll(true, input);
      expect(cached.length).toBeGreaterThanOrEqual(crowd);
      expect(new Set(cached).size).toBe(cached.length);
      expect(await readAll(false, input)).toEqual(cached);
    }
  });

  it("hands bench:api's yardstick the statement invoice.list runs for a first page", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const actor = { tenantId: world.tenantA, userId: world.a.user.userId, role: "user" as const };
    const limit = 20;
    const listed = await user.invoice.list({ limit });
    // The statement of a small tenant (its LIMIT written in) and of a large one (bound).
    for (const invoiceCount of [1, Number.MAX_SAFE_INTEGER]) {
      const statement = plainFirstPageStatement(actor, limit, invoiceCount);
      // Its text with its parameters in $n order, as the bare server sends them.
      const parts = statement.text.split(/\$(\d+)/);
      const query = sql.join(
        parts.map((part, i) =>
          i % 2 === 0 ? sql.raw(part) : sql`${statement.parameters[Number(part) - 1]}`,
        ),
      );
      const rows = await withTenant(world.deps.db, actor, (db) =>
        queryRows<{ id: string }>(db, query),
      );
      expect(rows).toHaveLength(limit + 1);
      expect(rows.slice(0, limit).map((row) => row.id)).toEqual(listed.items.map((i) => i.id));
      // Its columns name every field of the page's rows that the database answers.
      const answered = Object.keys(listed.items[0] ?? {}).filter(
        (key) => key !== "allowedActions" && key !== "rejectedByName",
      );
      expect(answered.length).toBeGreaterThan(20);
      expect(statement.columns).toEqual(expect.arrayContaining(answered));
    }
  });

  it("refuses a made-up or altered cursor with a sentence, not a server error", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const { nextCursor } = await user.invoice.list({ limit: 2 });
    if (!nextCursor) throw new Error("expected a second page");
    const decoded = Buffer.from(nextCursor, "base64url").toString("utf8");
    const altered = [
      "not a cursor",
      Buffer.from("x|y").toString("base64url"),
      Buffer.from(decoded.replace(/^\d{4}-\d{2}/, "2026-13")).toString("base64url"),
      Buffer.from(`${decoded}' or 1=1 --`).toString("base64url"),
      `${nextCursor}A`,
    ];
    for (const cursor of altered) {
      const error = await user.invoice.list({ cursor }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect((error as TRPCError).message).toMatch(/cursor/);
    }
  });
});

describe("inbox counts", () => {
  it("follow inserts, transitions and deletes, per tenant and per creator", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const admin = await callerFor(world.deps, world.a.admin);
    const before = await user.invoice.list({ limit: 1 });
    const mineBefore = await user.invoice.list({ mine: true, limit: 1 });
    const otherTenant = await callerFor(world.deps, world.b.user);
    const bBefore = (await otherTenant.invoice.list({ limit: 1 })).counts;

    // Everything the submit gate ([5/7]) asks for, so the draft can move to the next tab.
    const supplier = await admin.supplier.create({ name: "Counted Supplies" });
    const mine = await user.invoice.create({
      supplierId: supplier?.id,
      invoiceNumber: "count-1",
      invoiceDate: "2026-11-02",
      currency: "EUR",
      total: "5.00",
      lineItems: [],
    });
    const theirs = await admin.invoice.create({ invoiceNumber: "count-2", lineItems: [] });
    await user.invoice.submit({ id: mine.id });
    await admin.invoice.delete({ id: theirs.id });

    const after = await user.invoice.list({ limit: 1 });
    expect(after.counts.draft).toBe(before.counts.draft);
    expect(after.counts.pending_verification).toBe(before.counts.pending_verification + 1);
    const mineAfter = await user.invoice.list({ mine: true, limit: 1 });
    expect(mineAfter.counts.pending_verification).toBe(mineBefore.counts.pending_verification + 1);
    expect((await admin.invoice.list({ mine: true, limit: 1 })).counts.draft).toBe(0);
    expect((await otherTenant.invoice.list({ limit: 1 })).counts).toEqual(bBefore);
  });

  it("cannot be written by remit_app itself, in its own tenant or another", async () => {
    for (const tenantId of [world.tenantA, world.tenantB]) {
      const state = await withTenant(
        world.deps.db,
        { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
        (tx) => tx.update(invoiceStatusCounts).set({ n: 0 }).where(sql`tenant_id = ${tenantId}`),
      ).then(
        () => "written",
        (error: unknown) => sqlState(error),
      );
      expect(state).toBe("42501");
    }
  });
});

describe("inbox search", () => {
  it("finds by number, linked supplier, read supplier and line text, in the tenant only", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    const supplier = await admin.supplier.create({ name: "Quellwasser Getränke AG" });
    const linked = await admin.invoice.create({
      supplierId: supplier?.id,
      invoiceNumber: "QW-77812",
      lineItems: [],
    });
    const [read] = await withTenant(
      world.deps.db,
      { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
      (tx) =>
        tx.execute(sql`insert into invoices (tenant_id, created_by, extraction)
          values (${world.tenantA}, ${world.a.admin.userId}, ${JSON.stringify({
            fields: {
              supplierName: { value: "Bergbrauerei Hinterzarten", confidence: 0.9 },
              lineItems: [{ description: { value: "Fassbier Pils 50 Liter" } }],
            },
          })}::jsonb) returning id`),
    ).then((r) => (Array.isArray(r) ? r : (r as { rows: { id: string }[] }).rows));
    const readId = (read as { id: string }).id;

    const found = async (q: string) =>
      (await admin.invoice.list({ q })).items.map((i) => i.id).sort();
    expect(await found("77812")).toEqual([linked.id]);
    expect(await found("quellwasser")).toEqual([linked.id]);
    expect(await found("hinterzarten")).toEqual([readId]);
    expect(await found("pils 50")).toEqual([readId]);
    // The supplier as read comes from its generated column (drizzle/0017), not the extraction.
    expect((await admin.invoice.list({ q: "hinterzarten" })).items[0]).toMatchObject({
      readSupplierName: "Bergbrauerei Hinterzarten",
      possibleDuplicateOf: null,
    });
    expect(await found("no such words")).toEqual([]);

    const b = await callerFor(world.deps, world.b.admin);
    for (const q of ["77812", "quellwasser", "hinterzarten", "pils 50", tag]) {
      const answer = await b.invoice.list({ q });
      expect(answer.items).toEqual([]);
      expect(Object.values(answer.counts).every((n) => n === 0)).toBe(true);
    }
  });

  it("by words matches exactly what ILIKE matches: parts of words, punctuation, short runs", async () => {
    // drizzle/0017 narrows a search by the words and word suffixes of search_text before the
    // ILIKE checks it; the narrowing must never drop a row the ILIKE alone would have found.
    const admin = await callerFor(world.deps, world.a.admin);
    const w = `w${crypto.randomUUID().slice(0, 5)}`;
    const numbers = [
      `${w}-RE-2024/0815`,
      `${w}-RE-2024/08150`,
      `${w}-XRE-2024`,
      `${w} Größe Übergabe ab`,
      `${w}-a-b-c 100%_sicher`,
      `${w}-Ölwechsel_1.5l`,
    ];
    for (const invoiceNumber of numbers)
      await admin.invoice.create({ invoiceNumber, lineItems: [] });
    const queries = [
      w,
      `${w}-RE`,
      "RE-2024/0815",
      "E-2024/081",
      "2024/08150",
      "-2024",
      "024/",
      "größe über",
      "öße Über",
      "Übergabe ab",
      "e ab",
      "a-b-c",
      "-b-",
      "100%_s",
      "0%_",
      "Ölwechsel_1.5",
      "lwechsel",
      "1.5l",
      ".5l",
      "xre-20",
      "no-such-thing",
    ];
    const ids = new Map<string, string>();
    for (const item of (await admin.invoice.list({ q: w, limit: 100 })).items) {
      ids.set(item.id, item.invoiceNumber ?? "");
    }
    expect(ids.size).toBe(numbers.length);
    for (const q of queries) {
      const expected = [...ids]
        .filter(([, number]) => number.toLowerCase().includes(q.toLowerCase()))
        .map(([id]) => id)
        .sort();
      const got = (await admin.invoice.list({ q, limit: 100 })).items
        .map((i) => i.id)
        .filter((id) => ids.has(id))
        .sort();
      expect({ q, got }).toEqual({ q, got: expected });
    }
  });

  it("matches nothing for remit_app without a tenant, and its helpers are closed", async () => {
    const rows = await asAppRole(world.deps.db, (tx) =>
      queryRows<{ ids: string[] }>(
        tx,
        sql`select ids from search_inbox(${`%${tag}%`}, null, null, null, null, true, 100, 400)`,
      ),
    );
    expect(rows).toEqual([]);
    const direct = await asAppRole(world.deps.db, (tx) =>
      tx.execute(sql`select * from search_invoice_ids('%a%', null, null, null, null, true, 10)`),
    ).then(
      () => "ran",
      (error: unknown) => sqlState(error),
    );
    expect(direct).toBe("42501");
  });

  it("counts search matches up to the cap, and says so past it", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const answer = await user.invoice.list({ q: tag, limit: 5 });
    expect(answer.items).toHaveLength(5);
    expect(answer.counts.draft).toBeGreaterThan(searchCountCap);
    expect(answer.countsCapped).toEqual([
      "draft",
      "pending_verification",
      "verified",
      "approved_to_ap",
      "paid",
    ]);
    const one = await user.invoice.list({ q: `${tag}-1234` });
    expect(one.counts.draft).toBe(1);
    expect(one.countsCapped).toEqual([]);
  });

  it("asks for three characters rather than reading every invoice", async () => {
    const user = await callerFor(world.deps, world.a.user);
    expect(await outcome(() => user.invoice.list({ q: "ab" }))).toBe("BAD_REQUEST");
    expect((await user.invoice.list({ q: "  " })).items.length).toBeGreaterThan(0);
  });
});

describe("the plain page's statement for a small tenant", () => {
  it("reads the usual page sizes exactly and any other to the next of them", () => {
    expect([10, 20, 25, 50, 100].map(rowsToRead)).toEqual([11, 21, 26, 51, 101]);
    expect([1, 11, 49, 97].map(rowsToRead)).toEqual([11, 21, 51, 101]);
  });

  it("counts a tenant as small only from its last count, and remembers a bounded number", () => {
    const small = new SmallTenants({ maxInvoices: 100, maxEntries: 2 });
    expect(small.has("a")).toBe(false);
    small.note("a", 100);
    expect(small.has("a")).toBe(true);
    small.note("a", 101);
    expect(small.has("a")).toBe(false);
    small.note("a", 1);
    small.note("b", 1);
    small.note("c", 1);
    expect([small.has("a"), small.has("b"), small.has("c"), small.size]).toEqual([
      false,
      true,
      true,
      2,
    ]);
  });
});
