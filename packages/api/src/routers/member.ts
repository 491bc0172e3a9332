import { memberRoles, members, users } from "@remit/db";
import { TRPCError } from "@trpc/server";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAuditAfter } from "../audit";
import type { Context } from "../context";
import { authCall, NotFoundError } from "../errors";
import { canOnPlatform, router } from "../trpc";

const role = z.enum(memberRoles);

function sessionOnly(ctx: Pick<Context, "caller">) {
  if (ctx.caller?.kind !== "session") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "managing members needs a signed-in session",
    });
  }
}

/** The member row, if it belongs to the caller's tenant; NOT_FOUND otherwise, like a random id. */
async function memberOfTenant(ctx: { deps: Context["deps"]; tenantId: string }, memberId: string) {
  const [row] = await ctx.deps.db
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.organizationId, ctx.tenantId)));
  if (!row) throw new NotFoundError("member");
  return row;
}

export const memberRouter = router({
  list: canOnPlatform("member:manage").query(({ ctx }) =>
    ctx.deps.db
      .select({
        id: members.id,
        userId: members.userId,
        role: members.role,
        name: users.name,
        email: users.email,
        createdAt: members.createdAt,
      })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(eq(members.organizationId, ctx.tenantId))
      .orderBy(asc(users.name)),
  ),

  invite: canOnPlatform("member:manage")
    .input(z.object({ email: z.email(), role }))
    .mutation(async ({ ctx, input }) => {
      sessionOnly(ctx);
      const invitation = await authCall(() =>
        ctx.deps.auth.api.createInvitation({
          headers: ctx.headers,
          body: { ...input, organizationId: ctx.tenantId },
        }),
      );
      await recordAuditAfter(ctx, {
        action: "member.invite",
        entityType: "invitation",
        entityId: invitation.id,
        summary: { email: input.email, role: input.role },
      });
      return {
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        expiresAt: invitation.expiresAt,
      };
    }),

  changeRole: canOnPlatform("member:manage")
    .input(z.object({ memberId: z.uuid(), role }))
    .mutation(async ({ ctx, input }) => {
      sessionOnly(ctx);
      const before = await memberOfTenant(ctx, input.memberId);
      await authCall(() =>
        ctx.deps.auth.api.updateMemberRole({
          headers: ctx.headers,
          body: { memberId: input.memberId, role: input.role, organizationId: ctx.tenantId },
        }),
      );
      await recordAuditAfter(ctx, {
        action: "member.changeRole",
        entityType: "member",
        entityId: input.memberId,
        summary: { before: before.role, after: input.role },
      });
      return { id: input.memberId, role: input.role };
    }),

  remove: canOnPlatform("member:manage")
    .input(z.object({ memberId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      sessionOnly(ctx);
      const before = await memberOfTenant(ctx, input.memberId);
      await authCall(() =>
        ctx.deps.auth.api.removeMember({
          headers: ctx.headers,
          body: { memberIdOrEmail: input.memberId, organizationId: ctx.tenantId },
        }),
      );
      await recordAuditAfter(ctx, {
        action: "member.remove",
        entityType: "member",
        entityId: input.memberId,
        summary: { userId: before.userId, role: before.role },
      });
      return { id: input.memberId };
    }),
});
