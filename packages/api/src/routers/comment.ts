import { z } from "zod";
import { recordAudit } from "../audit";
import { addComment, listComments } from "../queries/comments";
import { can, router } from "../trpc";

const invoiceId = z.uuid();

export const commentRouter = router({
  list: can("invoice:read")
    .input(z.object({ invoiceId }))
    .query(({ ctx, input }) => listComments(ctx.db, input.invoiceId)),

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
