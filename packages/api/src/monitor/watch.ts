import type { MemberRole } from "@remit/db";
import { sqlState } from "@remit/db";
import type { Caller, Context } from "../context";
import { toTRPCError } from "../errors";
import { probeTargets } from "./probe-targets";
import type { ViolationActor } from "./violation";

/*
 * What the monitor watches on a tRPC call. Everything here only classifies and pushes onto the
 * monitor's queues: it never changes the answer, and never waits on the database.
 */

/** Who is calling, for a violation row. */
export function actorOf(ctx: Context, callerTenantId: string | null = null): ViolationActor {
  const actorType = ctx.caller ? "user" : ctx.service ? "service" : "anonymous";
  const actorId =
    ctx.caller?.userId ?? (ctx.service?.kind === "job" ? ctx.service.job.workerId : null);
  return {
    actorType,
    actorId: actorId && /^[0-9a-f-]{36}$/i.test(actorId) ? actorId : null,
    callerTenantId,
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
}

/** Headers a client might use to name a tenant. Remit reads none of them; naming one is forged. */
const tenantHeaders = ["x-tenant-id", "x-remit-tenant", "x-organization-id", "x-tenant"];
/** Input keys that name a tenant. The procedures strip them; sending another tenant's is forged. */
const tenantKeys = ["tenantId", "tenant_id", "organizationId", "organization_id", "tenant"];

/** Records a credential the request presented that identified nobody (see createContext). */
export function watchCredential(ctx: Context, path: string): void {
  const rejected = ctx.rejectedCredential;
  if (!rejected) return;
  ctx.deps.monitor.record({
    kind: rejected.kind,
    ...actorOf(ctx),
    targetTenantId: rejected.claimedTenantId,
    procedure: path,
    target: null,
    detail: { reason: rejected.reason },
  });
}

/**
 * A tenant named in the headers or the input that is not the one the caller's session or token
 * holds: recorded as forged, whatever the call answered. Remit reads neither (the tenant comes
 * from the verified credential only), so naming another one is an attempt, not a mistake.
 * tenant.switch is the one procedure whose input names a tenant by design.
 */
export function watchNamedTenant(ctx: Context, caller: Caller, path: string, input: unknown): void {
  const claimed = caller.kind === "session" ? caller.activeTenantId : caller.tenantId;
  const actor = actorOf(ctx, null);
  for (const name of tenantHeaders) {
    const named = ctx.headers.get(name);
    if (named && named !== claimed) {
      ctx.deps.monitor.record({
        kind: "forged_tenant_header",
        ...actor,
        targetTenantId: named.slice(0, 100),
        procedure: path,
        target: `header:${name}`,
      });
    }
  }
  if (!input || typeof input !== "object" || path === "tenant.switch") return;
  for (const key of tenantKeys) {
    const named = (input as Record<string, unknown>)[key];
    if (typeof named === "string" && named !== claimed) {
      ctx.deps.monitor.record({
        kind: "forged_tenant_input",
        ...actor,
        targetTenantId: named.slice(0, 100),
        procedure: path,
        target: `input:${key}`,
      });
    }
  }
}

/**
 * After a call in a resolved tenant: an RLS denial (42501, WITH CHECK included) is recorded,
 * and a NOT_FOUND queues a probe of the ids the caller sent.
 */
export function watchTenantCall(
  ctx: Context,
  tenant: { tenantId: string; userId: string; role: MemberRole },
  call: { path: string; input: unknown; error: unknown | null },
): void {
  const { monitor } = ctx.deps;
  const actor = actorOf(ctx, tenant.tenantId);
  if (call.error === null) return;
  if (sqlState(call.error) === "42501") {
    const message = call.error instanceof Error ? deepestMessage(call.error) : "";
    monitor.record({
      kind: "rls_denied",
      ...actor,
      targetTenantId: null,
      procedure: call.path,
      target: /table "([\w.]+)"/.exec(message)?.[1] ?? null,
      detail: { sqlstate: "42501", withCheck: /new row violates/.test(message) },
    });
    return;
  }
  // NOT_FOUND, or a "global" supplier that is not one (RM005): was the id another tenant's?
  if (toTRPCError(call.error).code === "NOT_FOUND" || sqlState(call.error) === "RM005") {
    monitor.probe({
      tenant,
      ids: probeTargets(call.path, call.input),
      actor,
      procedure: call.path,
    });
  }
}

/** tenant.switch answers NOT_FOUND for a tenant the caller is not a member of: is it real? */
export function watchSwitch(ctx: Context, input: unknown, error: unknown | null): void {
  if (error === null || toTRPCError(error).code !== "NOT_FOUND") return;
  ctx.deps.monitor.probe({
    tenant: null,
    ids: probeTargets("tenant.switch", input),
    actor: actorOf(ctx),
    procedure: "tenant.switch",
  });
}

function deepestMessage(error: Error): string {
  let current: unknown = error;
  let message = error.message;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof Error) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/**
 * A tenant context denied because the caller is not (or no longer) a member of the tenant its
 * session or JWT names: a token with another tenant's claim, or a session used after removal.
 * A suspended tenant is not a violation.
 */
export function watchDenied(ctx: Context, caller: Caller, reason: string, path: string): void {
  if (reason !== "membership_gone" && reason !== "tenant_access_ended") return;
  const claimed = caller.kind === "session" ? caller.activeTenantId : caller.tenantId;
  ctx.deps.monitor.record({
    kind: "tenant_claim_mismatch",
    ...actorOf(ctx),
    targetTenantId: reason === "membership_gone" ? claimed : null,
    procedure: path,
    target: null,
    detail: { reason, via: caller.kind },
  });
}
