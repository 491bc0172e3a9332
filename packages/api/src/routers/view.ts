import { z } from "zod";
import { recordAudit } from "../audit";
import { inboxViewQuery } from "../queries/inbox-query";
import { createView, deleteView, listViews } from "../queries/inbox-views";
import { can, router } from "../trpc";

/** Saved inbox views: each person's own, in the tenant they act in. */
export const viewRouter = router({
  list: can("invoice:read").query(({ ctx }) => listViews(ctx.db, ctx)),

  create: can("invoice:read")
    .input(z.object({ name: z.string().trim().min(1).max(60), query: inboxViewQuery }))
    .mutation(async ({ ctx, input }) => {
      const view = await createView(ctx.db, ctx, input);
      await recordAudit(ctx, {
        action: "view.create",
        entityType: "inbox_view",
        entityId: view.id,
        summary: { name: view.name, query: view.query },
      });
      return view;
    }),

  delete: can("invoice:read")
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const view = await deleteView(ctx.db, ctx, input.id);
      await recordAudit(ctx, {
        action: "view.delete",
        entityType: "inbox_view",
        entityId: view.id,
        summary: { name: view.name },
      });
      return { id: view.id };
    }),
});
