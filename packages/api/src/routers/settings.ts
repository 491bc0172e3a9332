import { moneyString } from "@remit/rules";
import { z } from "zod";
import { recordAudit } from "../audit";
import { approvalSettings, replaceApprovalBands, setSeparationOfDuties } from "../queries/approval";
import { can, router } from "../trpc";

const band = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, "a 3-letter ISO currency code like EUR"),
  minTotal: moneyString,
  requiredApprovals: z.number().int().min(1).max(10),
  requireAdmin: z.boolean().default(false),
});

/** The tenant's approval settings: everyone reads them, its admins change them (audited). */
export const settingsRouter = router({
  get: can("invoice:read").query(({ ctx }) => approvalSettings(ctx.db)),

  /**
   * Off only for a one-person company: one person may then submit, verify and approve, and
   * every invoice where that happened says "separation of duties relaxed".
   */
  setSeparationOfDuties: can("settings:write")
    .input(z.object({ enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const before = await approvalSettings(ctx.db);
      await setSeparationOfDuties(ctx.db, ctx, input.enabled);
      await recordAudit(ctx, {
        action: "settings.separation_of_duties",
        entityType: "tenant",
        entityId: ctx.tenantId,
        summary: {
          before: { separationOfDuties: before.separationOfDuties },
          after: { separationOfDuties: input.enabled },
        },
      });
      return approvalSettings(ctx.db);
    }),

  /** Replaces the approval bands: per currency, from a total up, n approvals (an admin's). */
  setApprovalBands: can("settings:write")
    .input(z.object({ bands: z.array(band).max(50) }))
    .mutation(async ({ ctx, input }) => {
      const before = await approvalSettings(ctx.db);
      await replaceApprovalBands(ctx.db, ctx, input.bands);
      await recordAudit(ctx, {
        action: "settings.approval_bands",
        entityType: "tenant",
        entityId: ctx.tenantId,
        summary: { before: before.bands, after: input.bands },
      });
      return approvalSettings(ctx.db);
    }),
});
