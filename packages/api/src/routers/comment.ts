import { invoiceComments, invoices } from "@remit/db";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit";
import { NotFoundError } from "../errors";
import { addComment } from "../queries/invoices";
import { can, router } from "../trpc";

const invoiceId = z.uuid();

export const commentRouter = router({
  list: can("invoice:read")
    .input(z.object({ invoiceId }))
    .query(async ({ ctx, input }) => {
      const [invoice] = await ctx.db
        .select({ id: invoices.id })
        .from(invoices)
        .where(eq(invoices.id, input.invoiceId));
      if (!invoice) throw new NotFoundError("invoice");
      return ctx.db
        .select()
        .from(invoiceComments)
        .where(eq(invoiceComments.invoiceId, input.invoiceId))
        .orderBy(asc(invoiceComments.createdAt));
    }),

  // Any member may comment, on any invoice of the tenant, locked or not.
  add: can("invoice:read")
    .input(
      z.object({
        invoiceId,
        body: z.string().trim().min(1, "a comment cannot be empty").max(10_000),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const comment = await addComment(ctx.db, ctx, input.invoiceId, input.body);
      await recordAudit(ctx, {
        action: "comment.add",
        entityType: "invoice",
        entityId: input.invoiceId,
        summary: { commentId: comment?.id },
      });
      return comment;
    }),
});
