import {
  approvalBands,
  invoiceApprovals,
  queryRows,
  type TenantDb,
  tenantSettings,
} from "@remit/db";
import { asc, desc, eq, sql } from "drizzle-orm";

/*
 * Approval settings and rows. The rules themselves are the database's (drizzle/0009): these
 * functions write and read, and the triggers refuse what is not allowed.
 */

export interface ApprovalBandInput {
  currency: string;
  minTotal: string;
  requiredApprovals: number;
  requireAdmin: boolean;
}

/** The tenant's settings; the defaults (duties separated) when its admin never changed them. */
export async function approvalSettings(db: TenantDb) {
  const [settings] = await db.select().from(tenantSettings).limit(1);
  const bands = await db
    .select({
      currency: approvalBands.currency,
      minTotal: approvalBands.minTotal,
      requiredApprovals: approvalBands.requiredApprovals,
      requireAdmin: approvalBands.requireAdmin,
    })
    .from(approvalBands)
    .orderBy(asc(approvalBands.currency), asc(approvalBands.minTotal));
  return { separationOfDuties: settings?.separationOfDuties ?? true, bands };
}

export async function setSeparationOfDuties(
  db: TenantDb,
  actor: { tenantId: string; userId: string },
  separated: boolean,
) {
  await db
    .insert(tenantSettings)
    .values({ tenantId: actor.tenantId, separationOfDuties: separated, updatedBy: actor.userId })
    .onConflictDoUpdate({
      target: tenantSettings.tenantId,
      set: { separationOfDuties: separated, updatedBy: actor.userId, updatedAt: new Date() },
    });
}

/** Replaces the tenant's bands whole. */
export async function replaceApprovalBands(
  db: TenantDb,
  actor: { tenantId: string; userId: string },
  bands: ApprovalBandInput[],
) {
  await db.delete(approvalBands);
  if (bands.length === 0) return;
  await db
    .insert(approvalBands)
    .values(bands.map((b) => ({ ...b, tenantId: actor.tenantId, createdBy: actor.userId })));
}

/** One approval in the acting user's name; the trigger checks it and locks once the policy is met. */
export async function addApproval(
  db: TenantDb,
  actor: { tenantId: string; userId: string },
  invoiceId: string,
) {
  const [row] = await db
    .insert(invoiceApprovals)
    .values({
      tenantId: actor.tenantId,
      invoiceId,
      approverId: actor.userId,
      // Written by the trigger (drizzle/0009); the values here are placeholders.
      approverRole: "verifier",
      round: 0,
      snapshot: {},
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** The approvals of an invoice, newest round first, oldest approval first within a round. */
export function approvalsOf(db: TenantDb, invoiceId: string) {
  return db
    .select({
      id: invoiceApprovals.id,
      round: invoiceApprovals.round,
      approverId: invoiceApprovals.approverId,
      approverRole: invoiceApprovals.approverRole,
      dutiesRelaxed: invoiceApprovals.dutiesRelaxed,
      snapshot: invoiceApprovals.snapshot,
      createdAt: invoiceApprovals.createdAt,
    })
    .from(invoiceApprovals)
    .where(eq(invoiceApprovals.invoiceId, invoiceId))
    .orderBy(desc(invoiceApprovals.round), asc(invoiceApprovals.createdAt));
}

/** What an invoice of this currency and total needs: the database's own answer. */
export async function approvalRequirement(
  db: TenantDb,
  tenantId: string,
  currency: string | null,
  total: string | null,
): Promise<{ requiredApprovals: number; requireAdmin: boolean }> {
  const [row] = await queryRows<{ requiredApprovals: number; requireAdmin: boolean }>(
    db,
    sql`select required_approvals as "requiredApprovals", require_admin as "requireAdmin"
        from approval_requirement(${tenantId}::uuid, ${currency}, ${total}::numeric)`,
  );
  return row ?? { requiredApprovals: 1, requireAdmin: false };
}

/**
 * Names of the tenant's members among `userIds` (the database answers for the current tenant's
 * members only: drizzle/0009 tenant_member_names); anyone else gets no name.
 */
export async function memberNames(
  db: TenantDb,
  userIds: Array<string | null | undefined>,
): Promise<Record<string, string>> {
  const ids = [...new Set(userIds.filter((id): id is string => Boolean(id)))].slice(0, 100);
  if (ids.length === 0) return {};
  const rows = await queryRows<{ userId: string; name: string }>(
    db,
    sql`select user_id as "userId", name from tenant_member_names(${`{${ids.join(",")}}`}::uuid[])`,
  );
  return Object.fromEntries(rows.map((r) => [r.userId, r.name]));
}
