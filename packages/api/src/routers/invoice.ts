import { invoiceStatuses } from "@remit/db";
import { invoiceHeader, lineItems } from "@remit/rules";
import { pagePreviewKey } from "@remit/storage";
import { z } from "zod";
import { recordAudit } from "../audit";
import { issueFileLink } from "../files/file-links";
import { actionsOn } from "../invoice-actions";
import { documentOf } from "../queries/documents";
import { inboxFilterFields, inboxSorts, rangeProblems } from "../queries/inbox-query";
import { maxCursorLength } from "../queries/invoice-cursor";
import { duplicateOf } from "../queries/invoice-duplicates";
import { inbox, minSearchLength } from "../queries/invoice-inbox";
import {
  applyOcrProposal,
  createInvoice,
  getInvoice,
  invoiceExtraction,
  invoiceSummary,
  updateInvoice,
} from "../queries/invoices";
import { reviewOf } from "../queries/review";
import { can, router, tenantContextProcedure } from "../trpc";
import { announce } from "./invoice/announce";
import { markPaid } from "./invoice/mark-paid";
import { waiting, waitingCountProcedure } from "./invoice/waiting";
import { bulkInput, runBulk } from "./invoice-bulk";
import { lifecycle } from "./invoice-lifecycle";

const id = z.uuid();
/* The fields' schemas are @remit/rules', shared with the OCR worker's results and the web form. */
const header = invoiceHeader;

/** A page of the stored extraction (jobs/extraction-input.ts), as far as the previews need it. */
interface StoredPage {
  number: number;
  width: number;
  height: number;
  lines?: Array<{
    words: Array<{ text: string; box: { x: number; y: number; width: number; height: number } }>;
  }>;
}

export const invoiceRouter = router({
  list: can("invoice:read")
    .input(
      z
        .object({
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
          sort: z.enum(inboxSorts).default("newest"),
          ...inboxFilterFields,
          /** The previous page's nextCursor, as given (opaque; checked when decoded). */
          cursor: z.string().max(maxCursorLength).optional(),
          limit: z.number().int().min(1).max(100).default(50),
        })
        .superRefine((input, check) => {
          const problem = rangeProblems(input);
          if (problem) check.addIssue({ code: "custom", message: problem });
        }),
    )
    .query(async ({ ctx, input }) => {
      // What the caller may do with each row: the tenant's setting came with the page's rows.
      const { separationOfDuties, ...page } = await inbox(ctx.db, ctx, input);
      return {
        ...page,
        // The page's rows are this call's own objects: each gains its actions in place rather
        // than as a copy of all of its columns.
        items: page.items.map((row) =>
          Object.assign(row, { allowedActions: actionsOn(ctx, row, { separationOfDuties }) }),
        ),
      };
    }),

  /**
   * The invoice with its review (who did what, its approval policy and chain, field sources)
   * and what the caller may do with it next (the rules package's allowedActions).
   */
  get: can("invoice:read")
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => {
      const invoice = await getInvoice(ctx.db, input.id);
      const review = await reviewOf(ctx.db, ctx.tenantId, invoice);
      const allowedActions = actionsOn(ctx, invoice, {
        separationOfDuties: review.approval.separationOfDuties,
        approvers: review.approval.chain.map((a) => a.approverId),
      });
      return {
        ...invoice,
        review,
        allowedActions,
        /** The other copy, on both copies (drizzle/0016). */
        possibleDuplicateOf: await duplicateOf(ctx.db, ctx.tenantId, invoice.id),
      };
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
   * space of the extraction's boxes, with each page's words. Empty until the document has been
   * read.
   */
  pageUrls: can("invoice:read")
    .input(z.object({ id, expiresInSeconds: z.number().int().min(10).max(3600).default(300) }))
    .query(async ({ ctx, input }) => {
      const document = await documentOf(ctx.db, input.id);
      const extraction = await invoiceExtraction(ctx.db, input.id);
      const pages = (extraction as { pages?: StoredPage[] } | null)?.pages ?? [];
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
        /** The page's words with their boxes, for click-to-fill (invoice.get leaves them out). */
        words: (page.lines ?? []).flatMap((line) => line.words),
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

  ...lifecycle,
  markPaid,
  /** "Waiting for me": the invoices whose next step is the caller's (queries/invoice-waiting.ts). */
  waiting,
  waitingCount: waitingCountProcedure,

  /**
   * Many invoices, one step each (invoice-bulk.ts): every id through the very procedure above,
   * each in its own transaction, reported one by one.
   */
  bulk: tenantContextProcedure.input(bulkInput).mutation(({ ctx, input }) => runBulk(ctx, input)),
});
