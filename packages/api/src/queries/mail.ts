import {
  invoices,
  mailAddresses,
  mailAllowedSenders,
  mailAttachments,
  mailMessages,
  type TenantDb,
} from "@remit/db";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { NotFoundError } from "../errors";

/*
 * Inbound mail, per tenant: addresses, the sender allowlist, received messages. Every function
 * takes the RLS-bound db of a withTenant transaction; another tenant's rows are simply not there.
 */

export async function listMailAddresses(db: TenantDb) {
  return db
    .select({
      id: mailAddresses.id,
      tokenHint: mailAddresses.tokenHint,
      label: mailAddresses.label,
      status: mailAddresses.status,
      createdAt: mailAddresses.createdAt,
      revokedAt: mailAddresses.revokedAt,
    })
    .from(mailAddresses)
    .orderBy(asc(mailAddresses.createdAt));
}

export async function insertMailAddress(
  db: TenantDb,
  row: { tenantId: string; tokenHash: string; tokenHint: string; label: string; createdBy: string },
) {
  const [created] = await db
    .insert(mailAddresses)
    .values(row)
    .returning({ id: mailAddresses.id, createdAt: mailAddresses.createdAt });
  if (!created) throw new Error("mail address insert returned no row");
  return created;
}

/** Revokes an active address; NOT_FOUND for one that is not this tenant's or not active. */
export async function revokeMailAddress(db: TenantDb, id: string): Promise<void> {
  const rows = await db
    .update(mailAddresses)
    .set({ status: "revoked", revokedAt: new Date() })
    .where(and(eq(mailAddresses.id, id), eq(mailAddresses.status, "active")))
    .returning({ id: mailAddresses.id });
  if (rows.length === 0) throw new NotFoundError("mail address");
}

export async function mailAddressLabel(db: TenantDb, id: string): Promise<string> {
  const [row] = await db
    .select({ label: mailAddresses.label, status: mailAddresses.status })
    .from(mailAddresses)
    .where(eq(mailAddresses.id, id));
  if (row?.status !== "active") throw new NotFoundError("mail address");
  return row.label;
}

export async function listAllowedSenders(db: TenantDb) {
  return db
    .select({ id: mailAllowedSenders.id, pattern: mailAllowedSenders.pattern })
    .from(mailAllowedSenders)
    .orderBy(asc(mailAllowedSenders.pattern));
}

/** Replaces the allowlist with `patterns` (empty: mail from anyone is read). */
export async function replaceAllowedSenders(
  db: TenantDb,
  tenantId: string,
  patterns: string[],
): Promise<void> {
  await db.delete(mailAllowedSenders);
  if (patterns.length > 0) {
    await db.insert(mailAllowedSenders).values(patterns.map((pattern) => ({ tenantId, pattern })));
  }
}

/** Whether `sender` passes the allowlist: always when it is empty; else an address or @domain. */
export function senderAllowed(patterns: string[], sender: string): boolean {
  if (patterns.length === 0) return true;
  const address = sender.trim().toLowerCase();
  return patterns.some((pattern) =>
    pattern.startsWith("@") ? address.endsWith(pattern) : address === pattern,
  );
}

export async function insertMailMessage(
  db: TenantDb,
  row: typeof mailMessages.$inferInsert,
): Promise<string> {
  const [created] = await db.insert(mailMessages).values(row).returning({ id: mailMessages.id });
  if (!created) throw new Error("mail message insert returned no row");
  return created.id;
}

export async function insertMailAttachments(
  db: TenantDb,
  rows: Array<typeof mailAttachments.$inferInsert>,
): Promise<void> {
  if (rows.length > 0) await db.insert(mailAttachments).values(rows);
}

const messageColumns = {
  id: mailMessages.id,
  sender: mailMessages.sender,
  subject: mailMessages.subject,
  outcome: mailMessages.outcome,
  attachmentCount: mailMessages.attachmentCount,
  receivedAt: mailMessages.receivedAt,
};

/** Recent messages, newest first, each with what became of its attachments. */
export async function listMailMessages(
  db: TenantDb,
  params: { onlyWithoutDocument: boolean; limit: number },
) {
  const messages = await db
    .select(messageColumns)
    .from(mailMessages)
    .where(params.onlyWithoutDocument ? eq(mailMessages.outcome, "no_document") : undefined)
    .orderBy(desc(mailMessages.receivedAt))
    .limit(params.limit);
  const ids = messages.map((m) => m.id);
  const attachments =
    ids.length === 0
      ? []
      : await db
          .select({
            messageId: mailAttachments.messageId,
            filename: mailAttachments.filename,
            outcome: mailAttachments.outcome,
            reason: mailAttachments.reason,
            invoiceId: mailAttachments.invoiceId,
          })
          .from(mailAttachments)
          .where(inArray(mailAttachments.messageId, ids))
          .orderBy(asc(mailAttachments.position));
  return messages.map((m) => ({
    ...m,
    attachments: attachments
      .filter((a) => a.messageId === m.id)
      .map(({ messageId: _, ...rest }) => rest),
  }));
}

/**
 * The message an invoice came in by, for the reviewer; null when it was uploaded. NOT_FOUND for
 * an invoice this tenant does not have, as everywhere.
 */
export async function mailMessageOfInvoice(db: TenantDb, invoiceId: string) {
  const [invoice] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  if (!invoice) throw new NotFoundError("invoice");
  const [row] = await db
    .select({
      ...messageColumns,
      bodyText: mailMessages.bodyText,
      filename: mailAttachments.filename,
    })
    .from(mailAttachments)
    .innerJoin(
      mailMessages,
      and(
        eq(mailMessages.tenantId, mailAttachments.tenantId),
        eq(mailMessages.id, mailAttachments.messageId),
      ),
    )
    .where(and(eq(mailAttachments.invoiceId, invoiceId), eq(mailAttachments.outcome, "created")))
    .orderBy(desc(mailMessages.receivedAt))
    .limit(1);
  return row ?? null;
}
