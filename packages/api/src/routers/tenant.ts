import { permissionsOf } from "@remit/rules";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAuditAfter } from "../audit";
import { authCall, NotFoundError } from "../errors";
import {
  markMembershipUsed,
  membershipOf,
  tenantById,
  tenantsOfUser,
} from "../queries/memberships";
import { authedProcedure, router, switchProcedure, tenantContextProcedure } from "../trpc";

export const tenantRouter = router({
  mine: authedProcedure.query(({ ctx }) => tenantsOfUser(ctx.deps.db, ctx.caller.userId)),

  create: authedProcedure
    .input(
      z.object({
        name: z.string().trim().min(1, "a tenant needs a name").max(200),
        slug: z
          .string()
          .trim()
          .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "lower-case letters, digits and dashes"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (ctx.caller.kind !== "session") {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: "creating a tenant needs a signed-in session",
        });
      }
      const created = await authCall(() =>
        ctx.deps.auth.api.createOrganization({ headers: ctx.headers, body: input }),
      );
      if (!created)
        throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "internal error" });
      await recordAuditAfter(
        { ...ctx, tenantId: created.id, userId: ctx.caller.userId, role: "admin" },
        {
          action: "tenant.create",
          entityType: "tenant",
          entityId: created.id,
          summary: { after: input },
        },
      );
      return { id: created.id, name: created.name, slug: created.slug };
    }),

  /** Takes effect on the next request; a token stays bound to the tenant it was minted for. */
  switch: switchProcedure
    .input(z.object({ tenantId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.caller.kind !== "session") {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: "a token is bound to one tenant; mint a new one after switching",
        });
      }
      const membership = await membershipOf(ctx.deps.db, ctx.caller.userId, input.tenantId);
      // Another tenant's id is answered exactly like an id that never existed.
      if (!membership) throw new NotFoundError("tenant");
      if (membership.status !== "active") {
        throw new TRPCError({ code: "FORBIDDEN", message: "this tenant is suspended" });
      }
      await authCall(() =>
        ctx.deps.auth.api.setActiveOrganization({
          headers: ctx.headers,
          body: { organizationId: input.tenantId },
        }),
      );
      await markMembershipUsed(ctx.deps.db, membership.id);
      return { tenantId: input.tenantId };
    }),

  /** The active tenant, the caller's role in it and what that role may do (the rules package). */
  current: tenantContextProcedure.query(async ({ ctx }) => ({
    ...(await tenantById(ctx.deps.db, ctx.tenantId)),
    role: ctx.role,
    // Plain strings in the output: it reaches the typed client's published declarations, which
    // stand alone without the rules package (whose Permission type names them).
    permissions: permissionsOf(ctx.role) as string[],
  })),
});
