import { auditLog, type TenantDb } from "@remit/db";

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
