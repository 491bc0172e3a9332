import { memberRoles } from "@remit/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAuditAfter } from "../audit";
import type { Context } from "../context";
import { authCall } from "../errors";
import { listMembers, memberOfTenant } from "../queries/memberships";
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

export const memberRouter = router({
  list: canOnPlatform("member:manage").query(({ ctx }) => listMembers(ctx.deps.db, ctx.tenantId)),

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
      const before = await memberOfTenant(ctx.deps.db, ctx.tenantId, input.memberId);
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
      const before = await memberOfTenant(ctx.deps.db, ctx.tenantId, input.memberId);
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
