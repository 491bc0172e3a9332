import { invoiceStatuses } from "@remit/db";
import { pagePreviewKey, tenantStore } from "@remit/storage";
import { z } from "zod";
import { recordAudit } from "../audit";
import type { ApiDeps } from "../context";
import { issueFileLink } from "../files/file-links";
import { moneyString, quantityString } from "../money";
import { addComment } from "../queries/comments";
import { documentKeysOf, documentOf } from "../queries/documents";
import { maxCursorLength } from "../queries/invoice-cursor";
import { inbox, minSearchLength } from "../queries/invoice-inbox";
import {
  createInvoice,
  deleteInvoice,
  getInvoice,
  invoiceExtraction,
  invoiceSummary,
  type Transition,
  transitionInvoice,
  updateInvoice,
} from "../queries/invoices";
import { can, router } from "../trpc";

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

/** Tells the tenant's live subscribers, once the change has committed. */
function announce(
  ctx: { deps: ApiDeps; tenantId: string; afterCommit: Array<() => Promise<void>> },
  invoiceId: string,
  status: string,
  kind: "invoice.created" | "invoice.updated" = "invoice.updated",
) {
  ctx.afterCommit.push(async () =>
    ctx.deps.events.publish(ctx.tenantId, { invoiceId, kind, status }),
  );
}

function transition(
  name: Transition,
  permission: "invoice:submit" | "invoice:verify" | "invoice:approve",
) {
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
      announce(ctx, input.id, after.status);
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

  get: can("invoice:read")
    .input(z.object({ id }))
    .query(({ ctx, input }) => getInvoice(ctx.db, input.id)),

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

  submit: transition("submit", "invoice:submit"),
  verify: transition("verify", "invoice:verify"),
  approve: transition("approve", "invoice:approve"),

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
      return after;
    }),
});
