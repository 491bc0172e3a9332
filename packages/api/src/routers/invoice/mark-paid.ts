import { z } from "zod";
import { recordAudit } from "../../audit";
import { markInvoicePaid } from "../../queries/invoice-paid";
import { invoiceSummary } from "../../queries/invoices";
import { can } from "../../trpc";
import { announce } from "./announce";

/** A day (midnight UTC) or an instant with its offset: what accounting systems export. */
const paidAt = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: "a date like 2026-11-27 or a time like 2026-11-27T10:00:00Z",
  })
  .transform((value) => new Date(value));

/**
 * invoice.markPaid: accounting paid an approved invoice (approved_to_ap -> paid). Verifiers and
 * admins, in the app or through the typed client with their token; audited with the payment.
 */
export const markPaid = can("invoice:markPaid")
  .input(
    z.object({
      id: z.uuid(),
      paidAt: paidAt.optional(),
      reference: z.string().trim().min(1).max(200).optional(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { before, after } = await markInvoicePaid(ctx.db, input.id, {
      paidAt: input.paidAt,
      reference: input.reference,
    });
    await recordAudit(ctx, {
      action: "invoice.mark_paid",
      entityType: "invoice",
      entityId: input.id,
      summary: {
        before: invoiceSummary(before),
        after: invoiceSummary(after),
        paidAt: after.paidAt?.toISOString() ?? null,
        reference: after.paymentReference,
      },
    });
    announce(ctx, input.id, after.status);
    return after;
  });
