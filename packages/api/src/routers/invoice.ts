import { invoiceStatuses } from "@remit/db";
import { pagePreviewKey, tenantStore } from "@remit/storage";
import { z } from "zod";
import { recordAudit } from "../audit";
import { PreconditionError } from "../errors";
import { issueFileLink } from "../files/file-links";
import { learnFromVerified } from "../memory/learn-on-verify";
import { moneyString, quantityString } from "../money";
import { notifyNextStep } from "../notify/after-step";
import { rejectedStep } from "../notify/next-step";
import { addApproval } from "../queries/approval";
import { addComment } from "../queries/comments";
import { documentKeysOf, documentOf } from "../queries/documents";
import { maxCursorLength } from "../queries/invoice-cursor";
import { inbox, minSearchLength } from "../queries/invoice-inbox";
import {
  applyOcrProposal,
  createInvoice,
  deleteInvoice,
  editableInvoice,
  getInvoice,
  invoiceExtraction,
  invoiceSummary,
  type Transition,
  transitionInvoice,
  updateInvoice,
} from "../queries/invoices";
import { checkSubmittable, newBankWarning, reviewOf } from "../queries/review";
import { can, router } from "../trpc";
import { announce } from "./invoice/announce";
import { markPaid } from "./invoice/mark-paid";
import { waiting, waitingCountProcedure } from "./invoice/waiting";

const id = z.uuid();
const isoDate = z.iso.date();
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const header = z.object({
  supplierId: nullable(z.uuid()),
  invoiceNumber: nullable(z.string().trim().min(1).max(100)),
  invoiceDate: nullable(isoDate),
  dueDate: nullable(isoDate),
  currency: nullable(z.string().regex(/^[A-Z]{3}$/, "a 3-letter ISO currency code like EUR")),
  subtotal: nullable(moneyString),
  taxAmount: nullable(moneyString),
  total: nullable(moneyString),
  amountDue: nullable(moneyString),
});

const lineItem = z.object({
  description: z.string().trim().max(1000),
  quantity: nullable(quantityString),
  unitPrice: nullable(quantityString),
  amount: nullable(moneyString),
});

const lineItems = z.array(lineItem).max(500);

function transition(name: Transition, permission: "invoice:verify") {
  return can(permission)
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

export const invoiceRouter = router({
  list: can("invoice:read")
    .input(
      z.object({
        status: z.enum(invoiceStatuses).optional(),
        mine: z.boolean().optional(),
        // An empty search is no search; a shorter one could not use the search index.
        q: z
          .string()
          .trim()
          .max(200)
          .refine((q) => q.length === 0 || q.length >= minSearchLength, {
            message: `search for at least ${minSearchLength} characters`,
          })
          .transform((q) => q || undefined)
          .optional(),
        sort: z.enum(["newest", "oldest"]).default("newest"),
        /** The previous page's nextCursor, as given (opaque; checked when decoded). */
        cursor: z.string().max(maxCursorLength).optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => inbox(ctx.db, ctx, input)),

  waiting,
  waitingCount: waitingCountProcedure,

  /** The invoice with its review: who did what, its approval policy and chain, field sources. */
  get: can("invoice:read")
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => {
      const invoice = await getInvoice(ctx.db, input.id);
      return { ...invoice, review: await reviewOf(ctx.db, ctx.tenantId, invoice) };
    }),

  create: can("invoice:create")
    .input(header.extend({ lineItems: lineItems.default([]) }))
    .mutation(async ({ ctx, input }) => {
      const created = await createInvoice(ctx.db, ctx, input);
      await recordAudit(ctx, {
        action: "invoice.create",
        entityType: "invoice",
        entityId: created.id,
        summary: { after: invoiceSummary(created) },
      });
      announce(ctx, created.id, created.status, "invoice.created");
      return created;
    }),

  update: can("invoice:update")
    .input(z.object({ id, data: header.extend({ lineItems: lineItems.optional() }) }))
    .mutation(async ({ ctx, input }) => {
      const { before, after, changed } = await updateInvoice(
        ctx.db,
        ctx.tenantId,
        input.id,
        input.data,
      );
      await recordAudit(ctx, {
        action: "invoice.update",
        entityType: "invoice",
        entityId: input.id,
        summary: { changed, before: invoiceSummary(before), after: invoiceSummary(after) },
      });
      announce(ctx, input.id, after.status);
      return after;
    }),

  /**
   * Short-lived signed links to the page previews the OCR worker rendered, in the coordinate
   * space of the extraction's boxes. Empty until the document has been read.
   */
  pageUrls: can("invoice:read")
    .input(z.object({ id, expiresInSeconds: z.number().int().min(10).max(3600).default(300) }))
    .query(async ({ ctx, input }) => {
      const document = await documentOf(ctx.db, input.id);
      const extraction = await invoiceExtraction(ctx.db, input.id);
      const pages =
        (extraction as { pages?: Array<{ number: number; width: number; height: number }> } | null)
          ?.pages ?? [];
      const [tenantId, userId, invoiceId] = document.storageKey.split("/") as [
        string,
        string,
        string,
      ];
      return pages.map((page) => ({
        page: page.number,
        width: page.width,
        height: page.height,
        url: issueFileLink(ctx.deps.fileLinks, {
          key: pagePreviewKey({ tenantId, userId, invoiceId }, page.number),
          tenantId: ctx.tenantId,
          userId: ctx.userId,
          expiresInSeconds: input.expiresInSeconds,
          contentType: "image/png",
          filename: `page-${page.number}.png`,
        }),
      }));
    }),

  /** A short-lived signed link to the invoice's original file (5 minutes by default). */
  fileUrl: can("invoice:read")
    .input(z.object({ id, expiresInSeconds: z.number().int().min(10).max(3600).default(300) }))
    .query(async ({ ctx, input }) => {
      const document = await documentOf(ctx.db, input.id);
      const url = issueFileLink(ctx.deps.fileLinks, {
        key: document.storageKey,
        tenantId: ctx.tenantId,
        userId: ctx.userId,
        expiresInSeconds: input.expiresInSeconds,
        contentType: document.contentType,
        filename: document.originalFilename ?? `invoice.${document.storageKey.split(".").pop()}`,
      });
      return { url, expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000) };
    }),

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
  submit: can("invoice:submit")
    .input(z.object({ id, acknowledgeWarnings: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const current = await editableInvoice(ctx.db, input.id);
      if (current.status !== "draft") {
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

  verify: transition("verify", "invoice:verify"),

  /**
   * One approval, in the caller's name. The database checks separation of duties and locks the
   * invoice once its approval policy (the tenant's band for its currency and total) is met;
   * until then the invoice stays verified, waiting for the next approver.
   */
  approve: can("invoice:approve")
    .input(z.object({ id, acknowledgeWarnings: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const before = await editableInvoice(ctx.db, input.id);
      if (before.status !== "verified") {
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

  markPaid,

  /** Applies the OCR result that arrived after the invoice left draft (kept as a proposal). */
  applyProposal: can("invoice:update")
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const { before, after, applied } = await applyOcrProposal(ctx.db, ctx.tenantId, input.id);
      await recordAudit(ctx, {
        action: "invoice.apply_proposal",
        entityType: "invoice",
        entityId: input.id,
        summary: { applied, before: invoiceSummary(before), after: invoiceSummary(after) },
      });
      announce(ctx, input.id, after.status);
      return after;
    }),

  reject: can("invoice:verify")
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
});
