import { createHash, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../src/rows";
import {
  approvalBands,
  auditLog,
  documents,
  invoiceApprovals,
  invoiceComments,
  invoiceLineItems,
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
} from "../src/schema";
import { sqlState } from "../src/sql-state";
import type { SeededTenant } from "../src/testing";
import type { Database, TenantDb } from "../src/types";
import { withTenant } from "../src/with-tenant";

export interface BusinessRows {
  supplierId: string;
  invoiceId: string;
  lineItemId: string;
  commentId: string;
  documentId: string;
  jobId: string;
  auditId: string;
  eventId: string;
  layoutId: string;
  mailAddressId: string;
  mailSenderId: string;
  mailMessageId: string;
  mailAttachmentId: string;
  imapMailboxId: string;
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const documentValues = (tenant: SeededTenant, invoiceId: string) => ({
  tenantId: tenant.tenantId,
  invoiceId,
  storageKey: `${tenant.tenantId}/${tenant.as.user.userId}/${invoiceId}/original.pdf`,
  originalFilename: "invoice.pdf",
  contentType: "application/pdf",
  byteSize: 1234,
  sha256: sha256(randomUUID()),
  createdBy: tenant.as.user.userId,
});

/** One row in every tenant table, written through withTenant as the tenant's user. */
export async function seedBusinessRows(db: Database, tenant: SeededTenant): Promise<BusinessRows> {
  return withTenant(db, tenant.as.user, async (tx) => {
    const t = tenant.tenantId;
    const [supplier] = await tx
      .insert(suppliers)
      .values({ tenantId: t, name: "Acme GmbH", taxId: "DE123" })
      .returning();
    const [invoice] = await tx
      .insert(invoices)
      .values({
        tenantId: t,
        supplierId: supplier?.id,
        invoiceNumber: "INV-1",
        currency: "EUR",
        total: "119.00",
        createdBy: tenant.as.user.userId,
      })
      .returning();
    const invoiceId = must(invoice).id;
    const [line] = await tx
      .insert(invoiceLineItems)
      .values({ tenantId: t, invoiceId, description: "Widget", quantity: "1", amount: "100.00" })
      .returning();
    const [comment] = await tx
      .insert(invoiceComments)
      .values({ tenantId: t, invoiceId, authorId: tenant.as.user.userId, body: "Looks right" })
      .returning();
    const [document] = await tx
      .insert(documents)
      .values(documentValues(tenant, invoiceId))
      .returning();
    const [job] = await tx
      .insert(ocrJobs)
      .values({ tenantId: t, invoiceId, documentId: must(document).id })
      .returning();
    const [audit] = await tx
      .insert(auditLog)
      .values({
        tenantId: t,
        actorId: tenant.as.user.userId,
        action: "invoice.create",
        entityType: "invoice",
        entityId: invoiceId,
      })
      .returning();
    const [event] = await tx
      .insert(tenantContextEvents)
      .values({ tenantId: t, userId: tenant.as.user.userId, outcome: "ok" })
      .returning();
    const [layout] = await tx
      .insert(supplierLayouts)
      .values({ tenantId: t, supplierId: must(supplier).id, layout: { version: 1, fields: {} } })
      .returning();
    const [address] = await tx
      .insert(mailAddresses)
      .values({
        tenantId: t,
        tokenHash: sha256(randomUUID()),
        tokenHint: "abcd",
        createdBy: tenant.as.user.userId,
      })
      .returning();
    const [mailbox] = await tx
      .insert(mailImapMailboxes)
      .values({
        tenantId: t,
        host: "imap.supplier.test",
        port: 993,
        username: "invoices@supplier.test",
        passwordSealed: "v1.sealed",
        createdBy: tenant.as.user.userId,
      })
      .returning();
    const [sender] = await tx
      .insert(mailAllowedSenders)
      .values({ tenantId: t, pattern: `@supplier-${randomUUID().slice(0, 8)}.test` })
      .returning();
    const [message] = await tx
      .insert(mailMessages)
      .values({
        tenantId: t,
        addressId: must(address).id,
        sender: "ap@supplier.test",
        subject: "Invoice INV-1",
        outcome: "ingested",
        attachmentCount: 1,
      })
      .returning();
    const [attachment] = await tx
      .insert(mailAttachments)
      .values({
        tenantId: t,
        messageId: must(message).id,
        position: 0,
        filename: "invoice.pdf",
        byteSize: 1234,
        outcome: "created",
        invoiceId,
      })
      .returning();
    return {
      layoutId: must(layout).id,
      supplierId: must(supplier).id,
      invoiceId,
      lineItemId: must(line).id,
      commentId: must(comment).id,
      documentId: must(document).id,
      jobId: must(job).id,
      auditId: must(audit).id,
      eventId: must(event).id,
      mailAddressId: must(address).id,
      mailSenderId: must(sender).id,
      mailMessageId: must(message).id,
      mailAttachmentId: must(attachment).id,
      imapMailboxId: must(mailbox).id,
    };
  });
}

export interface ApprovalRows {
  settingsId: string;
  bandId: string;
  approvalId: string;
}

/**
 * The approval tables' rows (drizzle/0009), once per tenant: its settings and a band, written by
 * its admin, and one approval of an invoice the user submitted and the verifier verified.
 */
export async function seedApprovalRows(db: Database, tenant: SeededTenant): Promise<ApprovalRows> {
  const t = tenant.tenantId;
  const { admin, verifier, user } = tenant.as;
  const [settings, band] = await withTenant(db, admin, async (tx) => [
    must(
      (
        await tx.insert(tenantSettings).values({ tenantId: t, updatedBy: admin.userId }).returning()
      )[0],
    ),
    must(
      (
        await tx
          .insert(approvalBands)
          .values({ tenantId: t, currency: "EUR", minTotal: "0", createdBy: admin.userId })
          .returning()
      )[0],
    ),
  ]);
  // An invoice of its own: approving locks it, and the business rows' invoice must stay open.
  const invoiceId = await withTenant(db, user, async (tx) => {
    const [row] = await tx
      .insert(invoices)
      .values({
        tenantId: t,
        invoiceNumber: "APPROVED-1",
        currency: "EUR",
        total: "10.00",
        createdBy: user.userId,
      })
      .returning();
    return must(row).id;
  });
  const move = (as: typeof admin, status: "pending_verification" | "verified") =>
    withTenant(db, as, (tx) =>
      tx.update(invoices).set({ status }).where(eq(invoices.id, invoiceId)),
    );
  await move(user, "pending_verification");
  await move(verifier, "verified");
  const approval = await withTenant(db, admin, async (tx) =>
    must(
      (
        await tx
          .insert(invoiceApprovals)
          .values({
            tenantId: t,
            invoiceId,
            approverId: admin.userId,
            approverRole: "admin",
            round: 0,
            snapshot: {},
          })
          .returning()
      )[0],
    ),
  );
  return { settingsId: settings.id, bandId: band.id, approvalId: approval.id };
}

export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("expected a row");
  return value;
}

/** Runs fn and returns the SQLSTATE it failed with; fails the test if it succeeded. */
export async function failsWith(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return sqlState(error) ?? `no sqlstate: ${String(error)}`;
  }
  throw new Error("expected the statement to fail, but it succeeded");
}

/** Reads as the connecting role (not remit_app): the ground truth after an attempt. */
export async function ownerCount(db: Database, table: string, tenantId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}`,
  );
  return rows[0]?.n ?? -1;
}

/** A transaction as remit_app with no tenant set at all (not through withTenant). */
export async function asAppWithoutTenant<T>(
  db: Database,
  fn: (tx: TenantDb) => Promise<T>,
  tenantSetting?: string,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'remit_app', true)`);
    if (tenantSetting !== undefined) {
      await tx.execute(sql`select set_config('app.tenant_id', ${tenantSetting}, true)`);
    }
    return fn(tx as TenantDb);
  });
}
