import { z } from "zod";
import { maxCursorLength } from "../../queries/invoice-cursor";
import { waitingCount, waitingForMe } from "../../queries/invoice-waiting";
import { can } from "../../trpc";

/** invoice.waiting: one page of the invoices whose next step is the caller's, oldest first. */
export const waiting = can("invoice:read")
  .input(
    z.object({
      sort: z.enum(["newest", "oldest"]).default("oldest"),
      cursor: z.string().max(maxCursorLength).optional(),
      limit: z.number().int().min(1).max(100).default(50),
    }),
  )
  .query(({ ctx, input }) => waitingForMe(ctx.db, ctx, input));

/** invoice.waitingCount: the badge, up to 99 ("99+" when capped). */
export const waitingCountProcedure = can("invoice:read").query(({ ctx }) =>
  waitingCount(ctx.db, ctx),
);
