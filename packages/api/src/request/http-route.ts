import type { Permission } from "@remit/auth";
import { type ApiDeps, type Caller, type Context, createContext } from "../context";
import { toHttpError, toTRPCError } from "../errors";
import type { JobClaims } from "../jobs/job-token";
import { watchCredential, watchNamedTenant, watchTenantCall } from "../monitor/watch";
import {
  inTenantTransaction,
  jobActor,
  requireCaller,
  requireJob,
  requirePermission,
  resolveCallTenant,
  type TenantActor,
  type TenantScope,
} from "./steps";

/*
 * Plain HTTP routes (upload, page previews) are procedures too: they are resolved by the same
 * context and steps as the tRPC builders (steps.ts), watched by the same monitor calls, and
 * their failures are mapped by the same table (errors.ts) to a status and a sentence. Only a
 * fault the table does not know (a 500) is rethrown, for the server's error handler to log.
 */

export interface RouteMeta {
  requestId: string;
  ip: string | null;
}

export interface RouteAnswer<T> {
  status: number;
  body: T | { error: string };
}

export interface TenantCall {
  ctx: Context;
  caller: Caller;
  actor: TenantActor;
  /** One withTenant transaction as the caller (RLS, audit rows inside, files after commit). */
  transaction<R>(work: (scope: TenantScope) => Promise<R>): Promise<R>;
}

export interface JobCall {
  ctx: Context;
  job: JobClaims;
  actor: TenantActor;
  transaction<R>(work: (scope: TenantScope) => Promise<R>): Promise<R>;
}

function answerFor(error: unknown): RouteAnswer<never> {
  const mapped = toHttpError(error);
  if (mapped.status >= 500 && mapped.status !== 503) throw error;
  return mapped;
}

/** Identifies the request exactly as a tRPC call is identified, and watches its credential. */
async function contextFor(
  deps: ApiDeps,
  request: Request,
  meta: RouteMeta,
  procedure: string,
): Promise<Context> {
  const ctx = await createContext(deps, {
    headers: request.headers,
    requestId: meta.requestId,
    ip: meta.ip,
  });
  watchCredential(ctx, procedure);
  return ctx;
}

/**
 * A route that acts in the caller's tenant: caller → tenant → permission → `handle`, which
 * opens its transaction when it is ready (an upload streams its file first).
 */
export async function tenantRoute<T>(
  deps: ApiDeps,
  request: Request,
  meta: RouteMeta,
  spec: { procedure: string; permission: Permission },
  handle: (call: TenantCall) => Promise<RouteAnswer<T>>,
): Promise<RouteAnswer<T>> {
  let ctx: Context | undefined;
  let actor: TenantActor | undefined;
  try {
    ctx = await contextFor(deps, request, meta, spec.procedure);
    const caller = requireCaller(ctx);
    watchNamedTenant(ctx, caller, spec.procedure, undefined);
    actor = await resolveCallTenant(ctx, caller, spec.procedure);
    requirePermission(actor.role, spec.permission);
    const call: TenantCall = {
      ctx,
      caller,
      actor,
      transaction: (work) => inTenantTransaction(ctx as Context, actor as TenantActor, work),
    };
    const answer = await handle(call);
    watchTenantCall(ctx, actor, { path: spec.procedure, input: undefined, error: null });
    return answer;
  } catch (error) {
    if (ctx && actor) {
      watchTenantCall(ctx, actor, {
        path: spec.procedure,
        input: undefined,
        error: toTRPCError(error),
      });
    }
    return answerFor(error);
  }
}

/** A route for one attempt of one job, by its job token: the same fence as a job procedure. */
export async function jobRoute<T>(
  deps: ApiDeps,
  request: Request,
  meta: RouteMeta,
  spec: { procedure: string; jobId: string },
  handle: (call: JobCall) => Promise<RouteAnswer<T>>,
): Promise<RouteAnswer<T>> {
  try {
    const ctx = await contextFor(deps, request, meta, spec.procedure);
    const job = requireJob(ctx, spec.jobId, spec.procedure);
    const actor = jobActor(job);
    return await handle({
      ctx,
      job,
      actor,
      transaction: (work) => inTenantTransaction(ctx, actor, work),
    });
  } catch (error) {
    return answerFor(error);
  }
}
