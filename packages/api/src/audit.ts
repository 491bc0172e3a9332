import { auditLog, type Database, type MemberRole, type TenantDb, withTenant } from "@remit/db";

export interface AuditActor {
  db: TenantDb;
  tenantId: string;
  userId: string;
  caller: { kind: "session" | "token" };
  requestId: string;
  ip: string | null;
}

/** One audit row, in the mutation's own transaction: both land or neither does. */
export async function recordAudit(
  ctx: AuditActor,
  entry: {
    action: string;
    entityType: string;
    entityId: string | null;
    summary?: Record<string, unknown>;
  },
): Promise<void> {
  await ctx.db.insert(auditLog).values({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: ctx.caller.kind === "session" ? "user" : "service",
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    summary: entry.summary ?? {},
    requestId: ctx.requestId,
    ip: ctx.ip,
  });
}

/**
 * For mutations made through better-auth on platform tables: the audit row gets a tenant
 * transaction of its own, right after the platform change (they cannot share one).
 */
export async function recordAuditAfter(
  ctx: Omit<AuditActor, "db"> & { deps: { db: Database }; role: MemberRole },
  entry: Parameters<typeof recordAudit>[1],
): Promise<void> {
  await withTenant(
    ctx.deps.db,
    { tenantId: ctx.tenantId, userId: ctx.userId, role: ctx.role },
    (db) => recordAudit({ ...ctx, db }, entry),
  );
}
