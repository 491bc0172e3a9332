import { eq, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditDatabase } from "../src/audit";
import { queryRows } from "../src/rows";
import {
  approvalBands,
  auditLog,
  documents,
  inboxViews,
  invoiceApprovals,
  invoiceComments,
  invoiceDuplicates,
  invoiceLineItems,
  invoiceStatusCounts,
  invoices,
  mailAddresses,
  mailAllowedSenders,
  mailAttachments,
  mailImapMailboxes,
  mailMessages,
  ocrJobs,
  supplierLayouts,
  suppliers,
  tenantContextEvents,
  tenantSettings,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import type { TenantDb } from "../src/types";
import { withTenant } from "../src/with-tenant";
import {
  type ApprovalRows,
  asAppWithoutTenant,
  type BusinessRows,
  documentValues,
  failsWith,
  ownerCount,
  seedApprovalRows,
  seedBusinessRows,
  sha256,
} from "./fixtures";

/*
 * Every tenant table, every policy, as remit_app through withTenant, from the outside in: own
 * rows visible, the other tenant's invisible; cross-tenant INSERT throws; cross-tenant UPDATE and
 * DELETE change nothing; with no tenant set nothing is visible or writable; and nothing is left
 * behind, checked as the connecting role afterwards.
 */

let handle: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let rowsA: BusinessRows & ApprovalRows & LaterRows;
let rowsB: BusinessRows & ApprovalRows & LaterRows;

/** Rows of the tables drizzle/0014 and 0016 added: webhooks (admins write them) and views. */
interface LaterRows {
  webhookEndpointId: string;
  webhookEventId: string;
  webhookDeliveryId: string;
  inboxViewId: string;
}

async function seedLaterRows(tenant: SeededTenant): Promise<LaterRows> {
  // Saved views are each person's own (inbox_views_own): the user's, read as the user below.
  const [view] = await withTenant(handle.db, tenant.as.user, (tx) =>
    tx
      .insert(inboxViews)
      .values({
        tenantId: tenant.tenantId,
        userId: tenant.as.user.userId,
        name: "Drafts",
        query: {},
      })
      .returning(),
  );
  return withTenant(handle.db, tenant.as.admin, async (tx) => {
    const t = tenant.tenantId;
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({
        tenantId: t,
        url: "https://hooks.example.test/in",
        events: ["invoice.submitted"],
        secretCiphertext: "v1.sealed",
        secretHint: "abcd",
        createdBy: tenant.as.admin.userId,
      })
      .returning();
    const [event] = await tx
      .insert(webhookEvents)
      .values({ tenantId: t, type: "webhook.ping", payload: { ping: true } })
      .returning();
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ tenantId: t, eventId: must(event).id, endpointId: must(endpoint).id })
      .returning();
    return {
      webhookEndpointId: must(endpoint).id,
      webhookEventId: must(event).id,
      webhookDeliveryId: must(delivery).id,
      inboxViewId: must(view).id,
    };
  });
}

function must<T>(row: T | undefined): T {
  if (!row) throw new Error("no row");
  return row;
}

beforeAll(async () => {
  handle = await openSuiteDatabase();
  a = await seedTenant(handle.db, "a");
  b = await seedTenant(handle.db, "b");
  rowsA = {
    ...(await seedBusinessRows(handle.db, a)),
    ...(await seedApprovalRows(handle.db, a)),
    ...(await seedLaterRows(a)),
  };
  rowsB = {
    ...(await seedBusinessRows(handle.db, b)),
    ...(await seedApprovalRows(handle.db, b)),
    ...(await seedLaterRows(b)),
  };
});

afterAll(async () => {
  await handle?.close();
});

type Access = "read-write" | "no-delete" | "no-update" | "append-only";

interface TableCase {
  name: string;
  table: PgTable & { id: AnyPgColumn; tenantId: AnyPgColumn };
  id: (rows: BusinessRows & ApprovalRows & LaterRows) => string;
  access: Access;
  /** A harmless change to try on the other tenant's row. */
  change: Record<string, unknown>;
  /** A complete new row for `tenant` (used for the cross-tenant INSERT). */
  newRow: (
    tenant: SeededTenant,
    rows: BusinessRows & ApprovalRows & LaterRows,
  ) => Record<string, unknown>;
}

const cases: TableCase[] = [
  {
    name: "webhook_endpoints",
    table: webhookEndpoints,
    id: (r) => r.webhookEndpointId,
    access: "read-write",
    change: { url: "https://attacker.test/in" },
    newRow: (t) => ({
      tenantId: t.tenantId,
      url: "https://injected.test/in",
      events: ["invoice.submitted"],
      secretCiphertext: "v1.injected",
      secretHint: "wxyz",
      createdBy: t.as.admin.userId,
    }),
  },
  {
    name: "webhook_events",
    table: webhookEvents,
    id: (r) => r.webhookEventId,
    access: "append-only",
    change: { type: "invoice.paid" },
    newRow: (t) => ({ tenantId: t.tenantId, type: "webhook.ping", payload: {} }),
  },
  {
    name: "webhook_deliveries",
    table: webhookDeliveries,
    id: (r) => r.webhookDeliveryId,
    access: "no-delete",
    change: { lastError: "Hijacked" },
    newRow: (t, r) => ({
      tenantId: t.tenantId,
      eventId: r.webhookEventId,
      endpointId: r.webhookEndpointId,
    }),
  },
  {
    name: "inbox_views",
    table: inboxViews,
    id: (r) => r.inboxViewId,
    // A view is saved and deleted, never edited: remit_app has no UPDATE on it.
    access: "no-update",
    change: { name: "Hijacked" },
    newRow: (t) => ({
      tenantId: t.tenantId,
      userId: t.as.admin.userId,
      name: "Injected",
      query: {},
    }),
  },
  {
    name: "suppliers",
    table: suppliers,
    id: (r) => r.supplierId,
    access: "read-write",
    change: { name: "Hijacked" },
    newRow: (t) => ({ tenantId: t.tenantId, name: "Injected" }),
  },
  {
    name: "supplier_layouts",
    table: supplierLayouts,
    id: (r) => r.layoutId,
    access: "read-write",
    change: { ibans: ["HIJACKED"] },
    newRow: (t, r) => ({ tenantId: t.tenantId, supplierId: r.supplierId, layout: { version: 1 } }),
  },
  {
    name: "invoices",
    table: invoices,
    id: (r) => r.invoiceId,
    access: "read-write",
    change: { invoiceNumber: "HIJACKED" },
    newRow: (t) => ({ tenantId: t.tenantId, createdBy: t.as.user.userId }),
  },
  {
    name: "invoice_line_items",
    table: invoiceLineItems,
    id: (r) => r.lineItemId,
    access: "read-write",
    change: { description: "Hijacked" },
    newRow: (t, r) => ({ tenantId: t.tenantId, invoiceId: r.invoiceId, description: "Injected" }),
  },
  {
    name: "invoice_comments",
    table: invoiceComments,
    id: (r) => r.commentId,
    access: "append-only",
    change: { body: "Hijacked" },
    newRow: (t, r) => ({
      tenantId: t.tenantId,
      invoiceId: r.invoiceId,
      authorId: t.as.user.userId,
      body: "Injected",
    }),
  },
  {
    name: "documents",
    table: documents,
    id: (r) => r.documentId,
    access: "read-write",
    change: { pageCount: 99 },
    newRow: (t, r) => ({ ...documentValues(t, r.invoiceId), sha256: sha256("injected") }),
  },
  {
    name: "ocr_jobs",
    table: ocrJobs,
    id: (r) => r.jobId,
    access: "no-delete",
    change: { progress: 99 },
    newRow: (t, r) => ({ tenantId: t.tenantId, invoiceId: r.invoiceId, documentId: r.documentId }),
  },
  {
    name: "audit_log",
    table: auditLog,
    id: (r) => r.auditId,
    access: "append-only",
    change: { action: "forged" },
    newRow: (t) => ({ tenantId: t.tenantId, action: "forged", entityType: "invoice" }),
  },
  {
    name: "tenant_context_events",
    table: tenantContextEvents,
    id: (r) => r.eventId,
    access: "append-only",
    change: { reason: "forged" },
    newRow: (t) => ({ tenantId: t.tenantId, outcome: "ok" }),
  },
  {
    name: "tenant_settings",
    table: tenantSettings,
    id: (r) => r.settingsId,
    access: "no-delete",
    change: { separationOfDuties: false },
    newRow: (t) => ({ tenantId: t.tenantId, updatedBy: t.as.admin.userId }),
  },
  {
    name: "approval_bands",
    table: approvalBands,
    id: (r) => r.bandId,
    access: "read-write",
    change: { requiredApprovals: 9 },
    newRow: (t) => ({
      tenantId: t.tenantId,
      currency: "USD",
      minTotal: "5.00",
      createdBy: t.as.admin.userId,
    }),
  },
  {
    name: "invoice_approvals",
    table: invoiceApprovals,
    id: (r) => r.approvalId,
    access: "append-only",
    change: { approverRole: "verifier" },
    newRow: (t, r) => ({
      tenantId: t.tenantId,
      invoiceId: r.invoiceId,
      approverId: t.as.admin.userId,
      approverRole: "admin",
      round: 1,
      snapshot: {},
    }),
  },
  {
    name: "mail_addresses",
    table: mailAddresses,
    id: (r) => r.mailAddressId,
    access: "no-delete",
    change: { label: "Hijacked" },
    newRow: (t) => ({
      tenantId: t.tenantId,
      tokenHash: sha256(crypto.randomUUID()),
      tokenHint: "zzzz",
      createdBy: t.as.user.userId,
    }),
  },
  {
    name: "mail_allowed_senders",
    table: mailAllowedSenders,
    id: (r) => r.mailSenderId,
    access: "read-write",
    change: { pattern: "@hijacked.test" },
    newRow: (t) => ({ tenantId: t.tenantId, pattern: "@injected.test" }),
  },
  {
    name: "mail_messages",
    table: mailMessages,
    id: (r) => r.mailMessageId,
    access: "append-only",
    change: { subject: "Hijacked" },
    newRow: (t, r) => ({
      tenantId: t.tenantId,
      addressId: r.mailAddressId,
      sender: "injected@example.test",
      outcome: "no_document",
    }),
  },
  {
    name: "mail_imap_mailboxes",
    table: mailImapMailboxes,
    id: (r) => r.imapMailboxId,
    access: "read-write",
    change: { host: "attacker.test" },
    newRow: (t) => ({
      tenantId: t.tenantId,
      host: "imap.injected.test",
      port: 993,
      username: "injected",
      passwordSealed: "v1.injected",
      createdBy: t.as.user.userId,
    }),
  },
  {
    name: "mail_attachments",
    table: mailAttachments,
    id: (r) => r.mailAttachmentId,
    access: "append-only",
    change: { reason: "Hijacked" },
    newRow: (t, r) => ({
      tenantId: t.tenantId,
      messageId: r.mailMessageId,
      position: 1,
      byteSize: 1,
      outcome: "refused",
      reason: "injected",
    }),
  },
];

function asActor(row: Record<string, unknown>, userId: string): Record<string, unknown> {
  const out = { ...row };
  for (const key of ["createdBy", "authorId", "updatedBy", "approverId"])
    if (key in out) out[key] = userId;
  return out;
}

it("covers every tenant table the catalog knows", async () => {
  const report = await auditDatabase(handle.db);
  // invoice_status_counts and invoice_duplicates have no id of their own: own cases below.
  expect(
    [
      ...cases.map((c) => `public.${c.name}`),
      "public.invoice_status_counts",
      "public.invoice_duplicates",
    ].sort(),
  ).toEqual([...report.tenantTables].sort());
});

describe("invoice_duplicates", () => {
  // Kept by triggers on invoices (drizzle/0016): two invoices read alike make a pair per tenant.
  const readAlike = {
    fields: {
      invoiceNumber: { value: "DUP-1" },
      total: { value: "10.00" },
      invoiceDate: { value: "2026-01-01" },
    },
  };
  const pairs = (tx: TenantDb) =>
    tx
      .select({ tenantId: invoiceDuplicates.tenantId, invoiceId: invoiceDuplicates.invoiceId })
      .from(invoiceDuplicates);

  beforeAll(async () => {
    for (const tenant of [a, b]) {
      await withTenant(handle.db, tenant.as.user, (tx) =>
        tx.insert(invoices).values([
          { tenantId: tenant.tenantId, createdBy: tenant.as.user.userId, extraction: readAlike },
          { tenantId: tenant.tenantId, createdBy: tenant.as.user.userId, extraction: readAlike },
        ]),
      );
    }
  });

  it("shows the tenant its own pairs and none of the other tenant's", async () => {
    const seen = await withTenant(handle.db, a.as.user, pairs);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.tenantId === a.tenantId)).toBe(true);
    expect(await asAppWithoutTenant(handle.db, pairs)).toEqual([]);
  });

  it("refuses remit_app's own writes, for its tenant and the other", async () => {
    const [other] = await withTenant(handle.db, b.as.user, pairs);
    for (const tenant of [a, b]) {
      const insert = await failsWith(() =>
        withTenant(handle.db, a.as.admin, (tx) =>
          tx.insert(invoiceDuplicates).values({
            tenantId: tenant.tenantId,
            invoiceId: rowsA.invoiceId,
            duplicateOf: rowsA.invoiceId,
            invoiceCreatedAt: new Date(),
          }),
        ),
      );
      expect(insert).toBe("42501");
    }
    const update = await failsWith(() =>
      withTenant(handle.db, a.as.admin, (tx) =>
        tx.update(invoiceDuplicates).set({ invoiceCreatedAt: new Date() }),
      ),
    );
    expect(update).toBe("42501");
    const remove = await failsWith(() =>
      withTenant(handle.db, a.as.admin, (tx) => tx.delete(invoiceDuplicates)),
    );
    expect(remove).toBe("42501");
    // The other tenant's pair is still there, as its owner sees it.
    expect(await withTenant(handle.db, b.as.user, pairs)).toContainEqual(other);
  });
});

describe("invoice_status_counts", () => {
  const counts = (tx: TenantDb) =>
    tx
      .select({ tenantId: invoiceStatusCounts.tenantId, n: invoiceStatusCounts.n })
      .from(invoiceStatusCounts);

  it("shows the tenant its own counters and none of the other tenant's", async () => {
    const seen = await withTenant(handle.db, a.as.user, counts);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.tenantId === a.tenantId)).toBe(true);
    expect(await asAppWithoutTenant(handle.db, counts)).toEqual([]);
  });

  it("refuses remit_app's own writes, for its tenant and the other", async () => {
    for (const tenant of [a, b]) {
      const insert = await failsWith(() =>
        withTenant(handle.db, a.as.admin, (tx) =>
          tx.insert(invoiceStatusCounts).values({
            tenantId: tenant.tenantId,
            createdBy: a.as.admin.userId,
            status: "draft",
            n: 9,
          }),
        ),
      );
      expect(insert).toBe("42501");
      const update = await failsWith(() =>
        withTenant(handle.db, a.as.admin, (tx) => tx.update(invoiceStatusCounts).set({ n: 9 })),
      );
      expect(update).toBe("42501");
    }
    const del = await failsWith(() =>
      withTenant(handle.db, a.as.admin, (tx) => tx.delete(invoiceStatusCounts)),
    );
    expect(del).toBe("42501");
  });
});

describe.each(cases)("$name", (c) => {
  const select = (tx: TenantDb) =>
    tx.select({ id: c.table.id, tenantId: c.table.tenantId }).from(c.table);

  it("shows the tenant its own rows and none of the other tenant's", async () => {
    const seen = await withTenant(handle.db, a.as.user, select);
    const own = seen.filter((r) => r.tenantId === a.tenantId).map((r) => r.id);
    expect(own).toContain(c.id(rowsA));
    // Global suppliers (tenant_id NULL) may appear; another tenant's rows never do.
    expect(seen.filter((r) => r.tenantId !== null && r.tenantId !== a.tenantId)).toEqual([]);
    const byId = await withTenant(handle.db, a.as.admin, (tx) =>
      tx
        .select()
        .from(c.table)
        .where(eq(c.table.id, c.id(rowsB))),
    );
    expect(byId).toEqual([]);
  });

  it("rejects an INSERT of a row for the other tenant", async () => {
    const before = await ownerCount(handle.db, c.name, b.tenantId);
    // Authored by the acting user, so that only the tenant check can refuse it (the "own
    // author" policies would otherwise refuse it first, for the wrong reason).
    const row = asActor(c.newRow(b, rowsB), a.as.admin.userId);
    const code = await failsWith(() =>
      withTenant(handle.db, a.as.admin, (tx) => tx.insert(c.table).values(row)),
    );
    expect(code).toBe("42501");
    expect(await ownerCount(handle.db, c.name, b.tenantId)).toBe(before);
  });

  it("changes none of the other tenant's rows by UPDATE", async () => {
    const attempt = (tx: TenantDb) =>
      tx
        .update(c.table)
        .set(c.change)
        .where(eq(c.table.id, c.id(rowsB)))
        .returning({ id: c.table.id });
    if (c.access === "append-only" || c.access === "no-update") {
      expect(await failsWith(() => withTenant(handle.db, a.as.admin, attempt))).toBe("42501");
    } else {
      expect(await withTenant(handle.db, a.as.admin, attempt)).toEqual([]);
      // Even an UPDATE with no WHERE at all touches only the caller's own rows.
      const all = await withTenant(handle.db, a.as.admin, (tx) =>
        tx.update(c.table).set(c.change).returning({ tenantId: c.table.tenantId }),
      );
      expect(all.every((r) => r.tenantId === a.tenantId)).toBe(true);
    }
    const [row] = await handle.db
      .select()
      .from(c.table)
      .where(eq(c.table.id, c.id(rowsB)));
    for (const [key, value] of Object.entries(c.change)) {
      expect((row as Record<string, unknown>)[key]).not.toEqual(value);
    }
  });

  it("changes none of the other tenant's rows by DELETE", async () => {
    const before = await ownerCount(handle.db, c.name, b.tenantId);
    const attempt = (tx: TenantDb) =>
      tx
        .delete(c.table)
        .where(eq(c.table.id, c.id(rowsB)))
        .returning({ id: c.table.id });
    if (c.access === "read-write" || c.access === "no-update") {
      expect(await withTenant(handle.db, a.as.admin, attempt)).toEqual([]);
    } else {
      expect(await failsWith(() => withTenant(handle.db, a.as.admin, attempt))).toBe("42501");
    }
    expect(await ownerCount(handle.db, c.name, b.tenantId)).toBe(before);
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("with app.tenant_id %s: sees nothing, writes nothing", async (_label, setting) => {
    const seen = await asAppWithoutTenant(handle.db, select, setting);
    expect(seen.filter((r) => r.tenantId !== null)).toEqual([]);
    const before = await ownerCount(handle.db, c.name, a.tenantId);
    const insert = await failsWith(() =>
      asAppWithoutTenant(handle.db, (tx) => tx.insert(c.table).values(c.newRow(a, rowsA)), setting),
    );
    expect(insert).toBe("42501");
    if (c.access !== "append-only" && c.access !== "no-update") {
      const updated = await asAppWithoutTenant(
        handle.db,
        (tx) => tx.update(c.table).set(c.change).returning({ id: c.table.id }),
        setting,
      );
      expect(updated).toEqual([]);
    }
    expect(await ownerCount(handle.db, c.name, a.tenantId)).toBe(before);
  });
});

describe("foreign keys never cross tenants", () => {
  // PostgreSQL checks foreign keys without RLS, so only the composite (tenant_id, id) keys stop
  // a row of tenant A from pointing at a row of tenant B.
  const attempts: Array<[string, (tx: TenantDb) => Promise<unknown>]> = [
    [
      "mail message -> other tenant's address",
      (tx) =>
        tx.insert(mailMessages).values({
          tenantId: a.tenantId,
          addressId: rowsB.mailAddressId,
          sender: "x@example.test",
          outcome: "no_document",
        }),
    ],
    [
      "mail attachment -> other tenant's message",
      (tx) =>
        tx.insert(mailAttachments).values({
          tenantId: a.tenantId,
          messageId: rowsB.mailMessageId,
          position: 2,
          byteSize: 1,
          outcome: "refused",
        }),
    ],
    [
      "mail attachment -> other tenant's invoice",
      (tx) =>
        tx.insert(mailAttachments).values({
          tenantId: a.tenantId,
          messageId: rowsA.mailMessageId,
          position: 3,
          byteSize: 1,
          outcome: "created",
          invoiceId: rowsB.invoiceId,
        }),
    ],
    [
      "line item -> other tenant's invoice",
      (tx) =>
        tx
          .insert(invoiceLineItems)
          .values({ tenantId: a.tenantId, invoiceId: rowsB.invoiceId, description: "x" }),
    ],
    [
      "comment -> other tenant's invoice",
      (tx) =>
        tx.insert(invoiceComments).values({
          tenantId: a.tenantId,
          invoiceId: rowsB.invoiceId,
          authorId: a.as.user.userId,
          body: "x",
        }),
    ],
    [
      "document -> other tenant's invoice",
      (tx) =>
        tx
          .insert(documents)
          .values({ ...documentValues(a, rowsB.invoiceId), sha256: sha256("fk-doc") }),
    ],
    [
      "ocr job -> other tenant's document",
      (tx) =>
        tx.insert(ocrJobs).values({
          tenantId: a.tenantId,
          invoiceId: rowsA.invoiceId,
          documentId: rowsB.documentId,
        }),
    ],
    [
      "invoice -> other tenant's supplier",
      (tx) =>
        tx.insert(invoices).values({
          tenantId: a.tenantId,
          supplierId: rowsB.supplierId,
          createdBy: a.as.user.userId,
        }),
    ],
    [
      "existing invoice repointed at other tenant's supplier",
      (tx) =>
        tx
          .update(invoices)
          .set({ supplierId: rowsB.supplierId })
          .where(eq(invoices.id, rowsA.invoiceId)),
    ],
    [
      "existing line item moved to other tenant's invoice",
      (tx) =>
        tx
          .update(invoiceLineItems)
          .set({ invoiceId: rowsB.invoiceId })
          .where(eq(invoiceLineItems.id, rowsA.lineItemId)),
    ],
  ];

  it.each(attempts)("%s is rejected", async (_name, attempt) => {
    const before = await ownerCount(handle.db, "invoice_line_items", b.tenantId);
    expect(await failsWith(() => withTenant(handle.db, a.as.user, attempt))).toBe("23503");
    expect(await ownerCount(handle.db, "invoice_line_items", b.tenantId)).toBe(before);
  });

  it("answers the same for another tenant's id as for an id that never existed", async () => {
    const insertLine = (invoiceId: string) =>
      failsWith(() =>
        withTenant(handle.db, a.as.user, (tx) =>
          tx.insert(invoiceLineItems).values({ tenantId: a.tenantId, invoiceId, description: "x" }),
        ),
      );
    expect(await insertLine(rowsB.invoiceId)).toBe(await insertLine(crypto.randomUUID()));
  });
});

describe("withTenant", () => {
  it("runs as remit_app with the tenant, user and role set, and leaves nothing behind", async () => {
    const inside = await withTenant(handle.db, a.as.verifier, (tx) =>
      queryRows<Record<string, string>>(
        tx,
        sql`select current_user as role, current_setting('app.tenant_id') as tenant,
                   current_setting('app.user_id') as "user", current_setting('app.role') as "appRole"`,
      ),
    );
    expect(inside[0]).toEqual({
      role: "remit_app",
      tenant: a.tenantId,
      user: a.as.verifier.userId,
      appRole: "verifier",
    });
    const after = await queryRows<Record<string, string | null>>(
      handle.db,
      sql`select current_user as role, nullif(current_setting('app.tenant_id', true), '') as tenant`,
    );
    expect(after[0]?.role).not.toBe("remit_app");
    expect(after[0]?.tenant ?? null).toBeNull();
  });

  it("restores the role and settings after a rollback too", async () => {
    await expect(
      withTenant(handle.db, a.as.user, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const after = await queryRows<Record<string, string | null>>(
      handle.db,
      sql`select current_user as role, nullif(current_setting('app.tenant_id', true), '') as tenant`,
    );
    expect(after[0]?.role).not.toBe("remit_app");
    expect(after[0]?.tenant ?? null).toBeNull();
  });

  it.each([
    ["a tenant id that is not a uuid", { tenantId: "' or 1=1 --" }],
    ["an unknown role", { role: "superuser" }],
    ["a user id that is not a uuid", { userId: "x'); reset role; --" }],
  ])("refuses %s before touching the database", async (_name, override) => {
    await expect(
      withTenant(handle.db, { ...a.as.user, ...override } as never, async () => "ran"),
    ).rejects.toThrow(/invalid/i);
  });
});
