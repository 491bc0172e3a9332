import { type Permission, can as roleCan } from "@remit/auth";
import { type MemberRole, type TenantDb, withTenant } from "@remit/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Context } from "./context";
import { toTRPCError } from "./errors";
import { resolveTenant } from "./tenant-context";

export interface Meta {
  /** The permission a procedure needs; read by the role-matrix test. */
  permission?: Permission;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Never send stack traces, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
      return {
        ...shape,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          zodError,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps whatever a procedure threw (domain error, SQLSTATE) to a code and a sentence. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

/** A user (session) or a service (token); ctx.caller is non-null from here on. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.caller) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return next({ ctx: { caller: ctx.caller } });
});

/**
 * A validated tenant: the caller is an active member of an active tenant (repaired from its
 * memberships where the session has none). Everything after this runs inside one withTenant
 * transaction: ctx.db is RLS-bound to ctx.tenantId, and an error rolls it all back.
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const resolved = await resolveTenant(ctx.deps, ctx.caller);
  if (!resolved.ok) throw new TRPCError({ code: "FORBIDDEN", message: resolved.message });
  const tenant: { tenantId: string; userId: string; role: MemberRole } = {
    tenantId: resolved.tenantId,
    userId: ctx.caller.userId,
    role: resolved.role,
  };
  return withTenant(ctx.deps.db, tenant, async (db: TenantDb) => {
    const result = await next({ ctx: { ...tenant, db } });
    // Throwing (not returning) the failure is what rolls the transaction back.
    if (!result.ok) throw result.error;
    return result;
  });
});

/** A permission of the member's role, declared once in @remit/auth. */
export function can(permission: Permission) {
  return tenantProcedure.meta({ permission }).use(({ ctx, next }) => {
    if (!roleCan(ctx.role, permission)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `your role (${ctx.role}) may not ${permission.replace(":", " ")}`,
      });
    }
    return next();
  });
}
