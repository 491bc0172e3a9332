import { startsFrom, type Transition, transitions } from "@remit/rules";
import { tenantStore } from "@remit/storage";
import { z } from "zod";
import { recordAudit } from "../audit";
import { PreconditionError } from "../errors";
import { learnFromVerified } from "../memory/learn-on-verify";
import { notifyNextStep } from "../notify/after-step";
import { rejectedStep } from "../notify/next-step";
import { addApproval } from "../queries/approval";
import { addComment } from "../queries/comments";
import { documentKeysOf } from "../queries/documents";
import {
  deleteInvoice,
  editableInvoice,
  getInvoice,
  invoiceSummary,
  transitionInvoice,
} from "../queries/invoices";
import { checkSubmittable, newBankWarning } from "../queries/review";
import { can } from "../trpc";
import { announce } from "./invoice/announce";

/*
 * The steps of an invoice's life, one invoice per call: delete, submit, verify, approve, reject.
 * invoice.bulk (invoice-bulk.ts) runs each id of a selection through these same procedures.
 */

const id = z.uuid();

function transition(name: Exclude<Transition, "submit" | "approve" | "reject">) {
  return can(transitions[name].permission)
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const { before, after } = await transitionInvoice(ctx.db, input.id, name);
      await recordAudit(ctx, {
        action: `invoice.${name}`,
        entityType: "invoice",
        entityId: input.id,
        summary: { before: invoiceSummary(before), after: invoiceSummary(after) },
      });
      if (name === "verify") {
        // Corrections teach: what a person fixed is remembered for this supplier's next documents.
        const taught = await learnFromVerified(ctx.db, after);
        if (taught) {
          await recordAudit(ctx, {
            action: "supplier.layout_learned",
            entityType: "supplier",
            entityId: taught.supplierId,
            summary: { invoiceId: input.id, learned: taught.learned, forgotten: taught.forgotten },
          });
        }
      }
      announce(ctx, input.id, after.status);
      await notifyNextStep(ctx, after);
      return after;
    });
}

/**
 * The steps of an invoice's life a person takes from the inbox, one invoice at a time. invoice.bulk
 * runs each id of a selection through these same procedures.
 */
export const lifecycle = {
  delete: can("invoice:delete")
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const keys = await documentKeysOf(ctx.db, input.id);
      const before = await deleteInvoice(ctx.db, input.id);
      // The rows go with the transaction; the files go once it has committed. A crash in
      // between leaves an orphan object, which the sweeper removes.
      const store = tenantStore(ctx.deps.store, ctx.tenantId);
      for (const key of keys) ctx.afterCommit.push(() => store.delete(key));
      await recordAudit(ctx, {
        action: "invoice.delete",
        entityType: "invoice",
        entityId: input.id,
        summary: { before: invoiceSummary(before) },
      });
      return { id: input.id };
    }),

  /**
   * The submit gate: not while the document is being read; supplier, number, date, total and
   * currency filled in; standing warnings acknowledged (recorded in the audit row).
   */
  submit: can(transitions.submit.permission)
    .input(z.object({ id, acknowledgeWarnings: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const current = await editableInvoice(ctx.db, input.id);
      if (!startsFrom("submit", current.status)) {
        throw new PreconditionError(
          `cannot submit an invoice that is ${current.status.replaceAll("_", " ")}`,
        );
      }
      const acknowledged = await checkSubmittable(ctx.db, current, input.acknowledgeWarnings);
      const { before, after } = await transitionInvoice(ctx.db, input.id, "submit");
      await recordAudit(ctx, {
        action: "invoice.submit",
        entityType: "invoice",
        entityId: input.id,
        summary: {
          before: invoiceSummary(before),
          after: invoiceSummary(after),
          acknowledgedWarnings: acknowledged,
        },
      });
      announce(ctx, input.id, after.status);
      await notifyNextStep(ctx, after);
      return after;
    }),

  verify: transition("verify"),

  /**
   * One approval, in the caller's name. The database checks separation of duties and locks the
   * invoice once its approval policy (the tenant's band for its currency and total) is met;
   * until then the invoice stays verified, waiting for the next approver.
   */
  approve: can(transitions.approve.permission)
    .input(z.object({ id, acknowledgeWarnings: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const before = await editableInvoice(ctx.db, input.id);
      if (!startsFrom("approve", before.status)) {
        throw new PreconditionError(
          `cannot approve an invoice that is ${before.status.replaceAll("_", " ")}`,
        );
      }
      const bank = newBankWarning(before);
      if (bank && !input.acknowledgeWarnings) {
        throw new PreconditionError(`acknowledge the warning to approve: ${bank}`);
      }
      const approval = await addApproval(ctx.db, ctx, input.id);
      const after = await getInvoice(ctx.db, input.id);
      await recordAudit(ctx, {
        action: "invoice.approve",
        entityType: "invoice",
        entityId: input.id,
        summary: {
          before: invoiceSummary(before),
          after: invoiceSummary(after),
          approvalId: approval.id,
          round: approval.round,
          dutiesRelaxed: approval.dutiesRelaxed,
          acknowledgedWarnings: bank ? [bank] : [],
        },
      });
      announce(ctx, input.id, after.status);
      // Still verified: the policy wants more approvals, from others.
      await notifyNextStep(ctx, after);
      const { lineItems: _l, comments: _c, document: _d, supplier: _s, ocr: _o, ...row } = after;
      return row;
    }),

  reject: can(transitions.reject.permission)
    .input(
      z.object({
        id,
        reason: z.string().trim().min(1, "say why the invoice is rejected").max(2000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { before, after } = await transitionInvoice(ctx.db, input.id, "reject");
      await addComment(ctx.db, ctx, input.id, input.reason, "rejection");
      await recordAudit(ctx, {
        action: "invoice.reject",
        entityType: "invoice",
        entityId: input.id,
        summary: {
          before: invoiceSummary(before),
          after: invoiceSummary(after),
          reason: input.reason,
        },
      });
      await notifyNextStep(ctx, () => rejectedStep(before, input.reason));
      return after;
    }),
};
