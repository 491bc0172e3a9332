import { tenantContextEvents } from "@remit/db";
import { count, gte } from "drizzle-orm";
import { z } from "zod";
import { can, publicProcedure, router } from "../trpc";

export const healthRouter = router({
  liveness: publicProcedure.query(() => ({ status: "ok" as const })),

  /** The tenant's own context outcomes over a window (RLS: its own events only). */
  tenantContext: can("audit:read")
    .input(
      z
        .object({
          windowMinutes: z
            .number()
            .int()
            .min(1)
            .max(7 * 24 * 60)
            .default(60),
        })
        .default({ windowMinutes: 60 }),
    )
    .query(async ({ ctx, input }) => {
      const since = new Date(Date.now() - input.windowMinutes * 60_000);
      const rows = await ctx.db
        .select({ outcome: tenantContextEvents.outcome, n: count() })
        .from(tenantContextEvents)
        .where(gte(tenantContextEvents.createdAt, since))
        .groupBy(tenantContextEvents.outcome);
      const by = Object.fromEntries(rows.map((r) => [r.outcome, r.n])) as Record<string, number>;
      const ok = by.ok ?? 0;
      const repaired = by.repaired ?? 0;
      const repairFailed = by.repair_failed ?? 0;
      const denied = by.denied ?? 0;
      const total = ok + repaired + repairFailed + denied;
      const rate = (a: number, b: number) => (b === 0 ? null : a / b);
      return {
        windowMinutes: input.windowMinutes,
        counts: { ok, repaired, repairFailed, denied, total },
        coverageRate: rate(ok + repaired, total),
        repairRate: rate(repaired + repairFailed, total),
        repairSuccessRate: rate(repaired, repaired + repairFailed),
      };
    }),
});
