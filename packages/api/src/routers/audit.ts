import { z } from "zod";
import { listAudit } from "../queries/audit";
import { can, router } from "../trpc";

export const auditRouter = router({
  list: can("audit:read")
    .input(
      z.object({
        action: z.string().max(100).optional(),
        entityType: z.string().max(50).optional(),
        entityId: z.string().max(100).optional(),
        actorId: z.uuid().optional(),
        cursor: z.object({ createdAt: z.date(), id: z.uuid() }).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
});
