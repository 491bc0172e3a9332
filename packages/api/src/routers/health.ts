import { z } from "zod";
import { reportOf, windowOf } from "../health/report";
import { tenantOutcomeBuckets } from "../queries/tenant-context-health";
import { can, publicProcedure, router } from "../trpc";

/** A window of 1 minute to 7 days (the definer function's cap, and the chart's widest choice). */
export const healthWindow = z
  .object({
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
  })
  .default({ windowMinutes: 60 });

export const healthRouter = router({
  liveness: publicProcedure.query(() => ({ status: "ok" as const })),

  /**
   * The tenant's own context outcomes over a window (RLS: its own events only): rates, status
   * against the brief's thresholds, and a series for the chart.
   */
  tenantContext: can("audit:read")
    .input(healthWindow)
    .query(async ({ ctx, input }) => {
      const window = { windowMinutes: input.windowMinutes, ...windowOf(input.windowMinutes) };
      return reportOf(await tenantOutcomeBuckets(ctx.db, window), window);
    }),
});
