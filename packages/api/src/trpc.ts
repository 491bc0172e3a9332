import type { Permission } from "@remit/auth";
import type { MemberRole } from "@remit/db";
import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "./context";
import { toTRPCError } from "./errors";
import { watchCredential, watchNamedTenant, watchSwitch, watchTenantCall } from "./monitor/watch";
import {
  inTenantTransaction,
  jobActor,
  requireCaller,
  requireJob,
  requirePermission,
  resolveCallTenant,
} from "./request/steps";
import { transformer } from "./transformer";

export interface Meta {
  /** The permission a procedure needs; read by the role-matrix test. */
  permission?: Permission;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // superjson's wire format; outputs written by our own faster serializer (transformer.ts).
    transformer,
    // Never send stack traces, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error }) {
      const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
      // A body that could not even be parsed: say so, not what the parser said.
      if (shape.data.code === "PARSE_ERROR") shape.message = "the request could not be read";
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

/*
 * What every call passes through first, in one middleware (each tRPC middleware is a promise, a
 * context object and a recursion step per call; these three only observe, docs/api.md "What a
 * call costs"), in the order they had as three:
 *
 * 1. observe: times every call for /metrics, labelled by path (a fixed set: the router's
 *    procedures) and the final code, after the error is mapped;
 * 2. map errors: whatever a procedure threw (domain error, SQLSTATE) becomes a code and a
 *    sentence;
 * 3. watch credentials: a bearer that identified nobody is an isolation violation of its own
 *    (forged, tampered, made up), recorded once per call, off the request path, whatever the
 *    procedure then answers.
 */
const observe = t.middleware(async ({ ctx, path, next }) => {
  const started = performance.now();
  let result: Awaited<ReturnType<typeof next>> | undefined;
  let failure: TRPCError | undefined;
  try {
    watchCredential(ctx, path);
    result = await next();
    if (!result.ok) failure = toTRPCError(result.error);
  } catch (cause) {
    // What tRPC makes of a middleware's throw, mapped as any other failure.
    failure = toTRPCError(getTRPCErrorFromUnknown(cause));
  }
  const code = failure ? failure.code : "OK";
  ctx.deps.metrics.observeProcedure(path, code, (performance.now() - started) / 1000);
  if (failure || !result) throw failure;
  return result;
});

export const publicProcedure = t.procedure.use(observe);

/** A user (session) or a service (token); ctx.caller is non-null from here on. */
export const authedProcedure = publicProcedure.use(async ({ ctx, path, getRawInput, next }) => {
  const caller = requireCaller(ctx);
  const result = await next({ ctx: { caller } });
  const input = await getRawInput().catch(() => undefined);
  try {
    watchNamedTenant(ctx, caller, path, input);
  } catch {
    // Monitoring never fails a request.
  }
  return result;
});

/**
 * A validated tenant: the caller is an active member of an active tenant (repaired from its
 * memberships where the session has none). ctx.tenantId and ctx.role are non-null from here.
 * Procedures that work on better-auth's platform tables (members, tenants) stop at this step:
 * they must not hold a tenant transaction while the auth layer uses its own connection.
 */
export const tenantContextProcedure = authedProcedure.use(
  async ({ ctx, path, getRawInput, next }) => {
    const tenant = await resolveCallTenant(ctx, ctx.caller, path);
    const result = await next({ ctx: tenant });
    // The isolation monitor looks at the call once its answer is decided (see monitor/watch.ts);
    // it only queues work, so the answer and its timing are the same either way.
    const input = await getRawInput().catch(() => undefined);
    const { tenantId, userId, role } = tenant;
    try {
      watchTenantCall(
        { ...ctx, ...tenant },
        { tenantId, userId, role },
        {
          path,
          input,
          error: result.ok ? null : result.error,
        },
      );
    } catch {
      // Monitoring never fails a request.
    }
    return result;
  },
);

function permissionMiddleware(permission: Permission) {
  return t.middleware(({ ctx, next }) => {
    requirePermission((ctx as { role?: MemberRole }).role, permission);
    return next();
  });
}

/** The OCR worker, by its credential: it may claim jobs and nothing else. */
export const workerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.service?.kind !== "worker") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "a worker credential is required" });
  }
  return next();
});

/**
 * One attempt of one job, by its job token. Everything runs in a withTenant transaction for the
 * job's tenant (from the signed token, never from input), as the worker's actor with the least
 * role. A token used for any other job — of this tenant or another — finds nothing.
 */
export const jobProcedure = publicProcedure
  .input(z.object({ jobId: z.uuid() }))
  .use(async ({ ctx, input, path, next }) => {
    const job = requireJob(ctx, input.jobId, path);
    const actor = jobActor(job);
    return inTenantTransaction(ctx, actor, async (scope) => {
      const inner = await next({ ctx: { ...actor, ...scope, job } });
      if (!inner.ok) throw inner.error;
      return inner;
    });
  });

/**
 * tenant.switch: a signed-in caller naming a tenant. A NOT_FOUND (not a member) queues a probe of
 * whether that tenant exists, off the request path.
 */
export const switchProcedure = authedProcedure.use(async ({ ctx, getRawInput, next }) => {
  const result = await next();
  if (!result.ok) {
    const input = await getRawInput().catch(() => undefined);
    try {
      watchSwitch(ctx, input, result.error);
    } catch {
      // Monitoring never fails a request.
    }
  }
  return result;
});

/** A platform operator, by REMIT_OPERATOR_SECRET: it may read the isolation monitor, nothing else. */
export const operatorProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.service?.kind !== "operator") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "an operator credential is required" });
  }
  return next();
});

/**
 * A tenant procedure: a permission of the member's role (declared once in @remit/auth), and
 * everything the procedure does inside one withTenant transaction, where ctx.db is RLS-bound to
 * ctx.tenantId and an error rolls it all back.
 *
 * One middleware for what canOnPlatform's chain does in three steps (caller, tenant, permission)
 * plus the transaction: each tRPC middleware is a promise, a copy of the context and a recursion
 * step on every call (docs/api.md "What a call costs"). The steps run in the same order, answer
 * the same and are watched the same (see authedProcedure and tenantContextProcedure), with one
 * change: a role without the permission is refused before the transaction opens, not inside it.
 */
export function can(permission: Permission) {
  return publicProcedure.meta({ permission }).use(async ({ ctx, path, getRawInput, next }) => {
    const caller = requireCaller(ctx);
    try {
      const tenant = await resolveCallTenant(ctx, caller, path);
      let failure: TRPCError | null = null;
      try {
        requirePermission(tenant.role, permission);
        return await inTenantTransaction(ctx, tenant, async (scope) => {
          const inner = await next({ ctx: { caller, ...tenant, ...scope } });
          // Throwing (not returning) the failure is what rolls the transaction back.
          if (!inner.ok) throw inner.error;
          return inner;
        });
      } catch (cause) {
        // What tRPC makes of a middleware's throw: the monitor sees the same error as before.
        failure = getTRPCErrorFromUnknown(cause);
        throw failure;
      } finally {
        // The isolation monitor looks at the call once its answer is decided (monitor/watch.ts).
        const input = await getRawInput().catch(() => undefined);
        try {
          watchTenantCall({ ...ctx, ...tenant }, tenant, { path, input, error: failure });
        } catch {
          // Monitoring never fails a request.
        }
      }
    } finally {
      const input = await getRawInput().catch(() => undefined);
      try {
        watchNamedTenant(ctx, caller, path, input);
      } catch {
        // Monitoring never fails a request.
      }
    }
  });
}

/** The same check for procedures on platform tables (members, tenants): no transaction held. */
export function canOnPlatform(permission: Permission) {
  return tenantContextProcedure.meta({ permission }).use(permissionMiddleware(permission));
}
