import type { MemberRole } from "@remit/db";
import type { ApiDeps, Caller } from "./context";
import { latestActiveMembership, membershipOf, setSessionTenant } from "./queries/memberships";
import { bindRequestLog } from "./request-log";

export type TenantResolution =
  | { ok: true; outcome: "ok" | "repaired"; tenantId: string; role: MemberRole }
  | { ok: false; outcome: "denied" | "repair_failed"; reason: string; message: string };

/**
 * Validate, repair, record (the product brief's "JWT tenant context"). The tenant comes from
 * the verified session or token only, and is checked against the memberships table on every
 * request: better-auth keeps a stale activeOrganizationId after a member is removed, and a
 * token keeps its claim until it expires, so neither is trusted on its own.
 *
 * - a session without an active tenant is repaired to the user's most recently used active
 *   membership, persisted on the session;
 * - a tenant the user no longer belongs to, or a suspended one, is denied at once, and the
 *   session's stale tenant is replaced by tenantAccessEnded: the user picks the next tenant
 *   explicitly (no silent repair that a retried write could follow into another tenant);
 * - every outcome is recorded (batched) for the health metrics.
 */
export async function resolveTenant(deps: ApiDeps, caller: Caller): Promise<TenantResolution> {
  const result = await decide(deps, caller);
  bindRequestLog({ userId: caller.userId, tenantId: result.ok ? result.tenantId : undefined });
  deps.recorder.record({
    tenantId: result.ok ? result.tenantId : realTenant(claimedTenant(caller)),
    userId: caller.userId,
    outcome: result.outcome,
    reason: result.ok ? null : result.reason,
  });
  return result;
}

/**
 * Written to a session's active tenant when access to that tenant ends (removal, suspension).
 * Unlike "no tenant yet", it is not repaired: a caller whose tenant went away must choose the
 * next one with tenant.switch, so that a retried write can never land in another tenant
 * unannounced. (It names no tenant; tenant ids are random UUIDs, never the nil UUID.)
 */
export const tenantAccessEnded = "00000000-0000-0000-0000-000000000000";

function claimedTenant(caller: Caller): string | null {
  return caller.kind === "session" ? caller.activeTenantId : caller.tenantId;
}

const realTenant = (id: string | null) => (id && id !== tenantAccessEnded ? id : null);

const denied = (reason: string, message: string): TenantResolution => ({
  ok: false,
  outcome: "denied",
  reason,
  message,
});

async function decide(deps: ApiDeps, caller: Caller): Promise<TenantResolution> {
  const claimed = claimedTenant(caller);
  if (claimed === tenantAccessEnded) {
    return {
      ok: false,
      outcome: "repair_failed",
      reason: "tenant_access_ended",
      message:
        "no tenant: your access to the tenant you were using has ended; choose one with tenant.switch",
    };
  }
  if (claimed) {
    // Read with the session in this same request (one statement for both), else read now.
    const found =
      caller.kind === "session" && caller.activeMembership !== undefined
        ? (caller.activeMembership ?? undefined)
        : await membershipOf(deps.db, caller.userId, claimed);
    if (found?.status === "active") {
      return { ok: true, outcome: "ok", tenantId: claimed, role: found.role };
    }
    if (caller.kind === "session") {
      await setSessionTenant(deps.db, caller.sessionId, tenantAccessEnded, claimed);
    }
    return found
      ? denied("tenant_suspended", "this tenant is suspended")
      : denied("membership_gone", "you are not a member of this tenant");
  }
  if (caller.kind === "token") {
    return {
      ok: false,
      outcome: "repair_failed",
      reason: "token_without_tenant",
      message: "no tenant: the token carries no tenant",
    };
  }
  const latest = await latestActiveMembership(deps.db, caller.userId);
  if (!latest) {
    return {
      ok: false,
      outcome: "repair_failed",
      reason: "no_membership",
      message: "no tenant: you are not a member of any active tenant",
    };
  }
  await setSessionTenant(deps.db, caller.sessionId, latest.tenantId);
  return { ok: true, outcome: "repaired", tenantId: latest.tenantId, role: latest.role };
}
