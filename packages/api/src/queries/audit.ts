import { auditLog, type TenantDb } from "@remit/db";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";

export interface AuditFilter {
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  cursor?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** The tenant's audit log, newest first, one page at a time (RLS keeps it to the tenant). */
export async function listAudit(db: TenantDb, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.entityType) where.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) where.push(eq(auditLog.entityId, filter.entityId));
  if (filter.actorId) where.push(eq(auditLog.actorId, filter.actorId));
  if (filter.cursor) {
    const { createdAt, id } = filter.cursor;
    const older = or(
      lt(auditLog.createdAt, createdAt),
      and(eq(auditLog.createdAt, createdAt), lt(auditLog.id, id)),
    );
    if (older) where.push(older);
  }
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
