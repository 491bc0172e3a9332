import { isolationViolationKinds } from "@remit/db";
import { z } from "zod";
import { recentViolations } from "../queries/violations";
import { operatorProcedure, router } from "../trpc";

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
});
