import { type Database, isolationViolations } from "@remit/db";
import { and, desc, eq, gte, type SQL } from "drizzle-orm";

/**
 * The newest isolation violations across every tenant, for platform operators. A platform
 * table, read through the server's own connection like members and tenants; nobody reaches this
 * but the operator procedure.
 */
export async function recentViolations(
  db: Database,
  params: {
    limit: number;
    since?: Date | undefined;
    kind?: string | undefined;
    requestId?: string | undefined;
  },
) {
  const where: SQL[] = [];
  if (params.since) where.push(gte(isolationViolations.createdAt, params.since));
  if (params.kind) where.push(eq(isolationViolations.kind, params.kind));
  if (params.requestId) where.push(eq(isolationViolations.requestId, params.requestId));
  return db
    .select()
    .from(isolationViolations)
    .where(and(...where))
    .orderBy(desc(isolationViolations.createdAt), desc(isolationViolations.id))
    .limit(params.limit);
}
