import { invoiceComments, invoices, type TenantDb } from "@remit/db";
import { asc, eq } from "drizzle-orm";
import { NotFoundError } from "../errors";

/** An invoice's comments, oldest first; NOT_FOUND for an invoice the tenant does not have. */
export async function listComments(db: TenantDb, invoiceId: string) {
  const [invoice] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  if (!invoice) throw new NotFoundError("invoice");
  return db
    .select()
    .from(invoiceComments)
    .where(eq(invoiceComments.invoiceId, invoiceId))
    .orderBy(asc(invoiceComments.createdAt));
}

export async function addComment(
  db: TenantDb,
  actor: { tenantId: string; userId: string },
  invoiceId: string,
  body: string,
  kind: "comment" | "rejection" = "comment",
) {
  const [invoice] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  if (!invoice) throw new NotFoundError("invoice");
  const [comment] = await db
    .insert(invoiceComments)
    .values({ tenantId: actor.tenantId, invoiceId, authorId: actor.userId, body, kind })
    .returning();
  return comment;
}
