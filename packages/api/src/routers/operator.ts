import { isolationViolationKinds } from "@remit/db";
import { z } from "zod";
import { overallHealth, windowOf } from "../health/report";
import { countsOf, summarize } from "../health/thresholds";
import { outcomesByTenant } from "../queries/tenant-context-health";
import { recentViolations } from "../queries/violations";
import { operatorProcedure, router } from "../trpc";
import { healthWindow } from "./health";

/** Platform operators (REMIT_OPERATOR_SECRET): the isolation monitor's view across tenants. */
export const operatorRouter = router({
  recentViolations: operatorProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(100),
          since: z.date().optional(),
          kind: z.enum(isolationViolationKinds).optional(),
          /** Everything one request set off (the x-request-id it carried or was given). */
          requestId: z.string().max(100).optional(),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => recentViolations(ctx.deps.db, input)),

  /** Tenant-context health overall (with its series) and per tenant, busiest first. */
  tenantContextHealth: operatorProcedure.input(healthWindow).query(async ({ ctx, input }) => {
    const { since } = windowOf(input.windowMinutes);
    const [overall, tenants] = await Promise.all([
      overallHealth(ctx.deps.db, input.windowMinutes),
      outcomesByTenant(ctx.deps.db, { since, limit: 200 }),
    ]);
    return {
      overall,
      tenants: tenants.map(({ tenantId, name, ...parts }) => ({
        tenantId,
        name,
        ...summarize(countsOf(parts)),
      })),
    };
  }),
});
