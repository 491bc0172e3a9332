import { type Permission, can as roleCan } from "@remit/auth";
import { type MemberRole, type TenantDb, withTenant } from "@remit/db";
import type { Caller, Context } from "../context";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../errors";
import type { JobClaims } from "../jobs/job-token";
import { workerActorId } from "../jobs/worker-credential";
import { actorOf, watchDenied } from "../monitor/watch";
import { bindRequestLog } from "../request-log";
import { resolveTenant } from "../tenant-context";

/*
 * The steps every call takes, whichever door it came in by: the tRPC builders (trpc.ts) and the
 * plain HTTP routes (http-route.ts: upload, download, page previews) run these same functions in
 * the same order, and a failing step throws a domain error that errors.ts maps once for both.
 *
 *   identify (context.ts) → caller → tenant → permission → one withTenant transaction
 *                                                         (audit rows inside it; files after commit)
 *   identify (context.ts) → job token → the job named → the job's tenant transaction
 */

/** Who acts, in which tenant, with which role: what withTenant binds. */
export interface TenantActor {
  tenantId: string;
  userId: string;
  role: MemberRole;
}

/** What runs inside a call's transaction: the RLS-bound db, and work to do once it commits. */
export interface TenantScope {
  db: TenantDb;
  /** Work that must wait for the commit (deleting stored files): never done for a rollback. */
  afterCommit: Array<() => Promise<void>>;
}

/** A person must be calling (session or user token). */
export function requireCaller(ctx: Context): Caller {
  if (!ctx.caller) throw new UnauthorizedError("sign in first");
  bindRequestLog({ userId: ctx.caller.userId });
  return ctx.caller;
}

/**
 * The caller's tenant, validated (and repaired) against the memberships on every call. A denial
 * is watched by the isolation monitor before it is answered.
 */
export async function resolveCallTenant(
  ctx: Context,
  caller: Caller,
  path: string,
): Promise<TenantActor> {
  const resolved = await resolveTenant(ctx.deps, caller);
  if (!resolved.ok) {
    watchDenied(ctx, caller, resolved.reason, path);
    throw new ForbiddenError(resolved.message);
  }
  return { tenantId: resolved.tenantId, userId: caller.userId, role: resolved.role };
}

/** A permission of the member's role (declared once in @remit/auth). */
export function requirePermission(role: MemberRole | undefined, permission: Permission): void {
  if (!role || !roleCan(role, permission)) {
    throw new ForbiddenError(
      `your role (${role ?? "none"}) may not ${permission.replace(":", " ")}`,
    );
  }
}

/**
 * Runs `work` in one withTenant transaction as `actor`: RLS applies to every statement, a throw
 * rolls everything back, and the after-commit work runs only once the commit has happened.
 */
export async function inTenantTransaction<T>(
  ctx: Pick<Context, "deps">,
  actor: TenantActor,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  const afterCommit: TenantScope["afterCommit"] = [];
  const result = await withTenant(ctx.deps.db, actor, (db) => work({ db, afterCommit }));
  for (const task of afterCommit) await task().catch(() => {});
  return result;
}

/**
 * One attempt of one job, by its job token: the token must name the job the call is about. A
 * token used for any other job (of this tenant or another) finds nothing, and is recorded.
 */
export function requireJob(ctx: Context, jobId: string, path: string): JobClaims {
  if (ctx.service?.kind !== "job") throw new UnauthorizedError("a job token is required");
  const job = ctx.service.job;
  bindRequestLog({ tenantId: job.tenantId });
  if (jobId !== job.jobId) {
    ctx.deps.monitor.record({
      kind: "job_token_mismatch",
      ...actorOf(ctx, job.tenantId),
      targetTenantId: null,
      procedure: path,
      target: `ocr_jobs:${jobId.slice(0, 100)}`,
      detail: { tokenJobId: job.jobId },
    });
    throw new NotFoundError("job");
  }
  return job;
}

/** The worker acts in a job's tenant as its own actor, with the least role. */
export function jobActor(job: Pick<JobClaims, "tenantId">): TenantActor {
  return { tenantId: job.tenantId, userId: workerActorId, role: "user" };
}
