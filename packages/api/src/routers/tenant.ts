import { members, tenants } from "@remit/db";
import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAuditAfter } from "../audit";
import { authCall, NotFoundError } from "../errors";
import { authedProcedure, router, switchProcedure, tenantContextProcedure } from "../trpc";

/*
 * Tenants and memberships are better-auth's platform tables: they are read here through the
 * server's own connection, always narrowed to the caller's user or validated tenant.
 */

export const tenantRouter = router({
  mine: authedProcedure.query(({ ctx }) =>
    ctx.deps.db
      .select({
        id: tenants.id,
        name: tenants.name,
        slug: tenants.slug,
        status: tenants.status,
        role: members.role,
      })
      .from(members)
      .innerJoin(tenants, eq(tenants.id, members.organizationId))
      .where(eq(members.userId, ctx.caller.userId))
      .orderBy(sql`${members.lastActiveAt} desc nulls last`, tenants.name),
  ),

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
      const [membership] = await ctx.deps.db
        .select({ id: members.id, role: members.role, status: tenants.status })
        .from(members)
        .innerJoin(tenants, eq(tenants.id, members.organizationId))
        .where(
          and(eq(members.userId, ctx.caller.userId), eq(members.organizationId, input.tenantId)),
        );
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
      await ctx.deps.db
        .update(members)
        .set({ lastActiveAt: new Date() })
        .where(eq(members.id, membership.id));
      return { tenantId: input.tenantId };
    }),

  current: tenantContextProcedure.query(async ({ ctx }) => {
    const [tenant] = await ctx.deps.db
      .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, status: tenants.status })
      .from(tenants)
      .where(eq(tenants.id, ctx.tenantId));
    if (!tenant) throw new NotFoundError("tenant");
    return { ...tenant, role: ctx.role };
  }),
});
