import { auditLog } from "@remit/db";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
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
    .query(async ({ ctx, input }) => {
      const where: SQL[] = [];
      if (input.action) where.push(eq(auditLog.action, input.action));
      if (input.entityType) where.push(eq(auditLog.entityType, input.entityType));
      if (input.entityId) where.push(eq(auditLog.entityId, input.entityId));
      if (input.actorId) where.push(eq(auditLog.actorId, input.actorId));
      if (input.cursor) {
        const { createdAt, id } = input.cursor;
        const older = or(
          lt(auditLog.createdAt, createdAt),
          and(eq(auditLog.createdAt, createdAt), lt(auditLog.id, id)),
        );
        if (older) where.push(older);
      }
      const rows = await ctx.db
        .select()
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
      };
    }),
});
