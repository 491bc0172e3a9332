import { invoices, type TenantDb } from "@remit/db";
import { and, eq, sql } from "drizzle-orm";
import { NotFoundError, PreconditionError } from "../errors";

/*
 * The hand-off's last step, from the accounting side: an approved invoice was paid. The database
 * (drizzle/0015) allows approved_to_ap -> paid only, to verifiers and admins, writes who marked
 * it, and lets nothing else change with it or after it.
 */

export interface Payment {
  /** When it was paid; now when not given. */
  paidAt?: Date | undefined;
  /** The payment's reference in the accounting system. */
  reference?: string | undefined;
}

export async function markInvoicePaid(db: TenantDb, id: string, payment: Payment) {
  const [before] = await db.select().from(invoices).where(eq(invoices.id, id));
  if (!before) throw new NotFoundError("invoice");
  if (before.status === "paid") throw new PreconditionError("the invoice is already marked paid");
  if (before.status !== "approved_to_ap") {
    throw new PreconditionError(
      `only an approved invoice can be marked paid; this one is ${before.status.replaceAll("_", " ")}`,
    );
  }
  // remit_app's update policy shows an approved invoice only to a transaction that says it is
  // marking it paid (drizzle/0015); the trigger then allows that one change and nothing else.
  await db.execute(sql`select set_config('app.marking_paid', 'on', true)`);
  const [after] = await db
    .update(invoices)
    .set({
      status: "paid",
      paidAt: payment.paidAt ?? null,
      paymentReference: payment.reference ?? null,
    })
    .where(and(eq(invoices.id, id), eq(invoices.status, "approved_to_ap")))
    .returning();
  // Someone else marked it paid in between.
  if (!after) throw new PreconditionError("the invoice is already marked paid");
  return { before, after };
}
