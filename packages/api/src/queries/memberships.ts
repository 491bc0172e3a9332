import {
  type Database,
  type MemberRole,
  members,
  queryRows,
  sessions,
  tenants,
  users,
} from "@remit/db";
import { and, asc, eq, sql } from "drizzle-orm";
import { NotFoundError } from "../errors";
import { tenantAccessEnded } from "../tenant-context";

/*
 * Tenants, memberships and sessions are better-auth's platform tables: read and written here
 * through the server's own connection (not a tenant transaction), always narrowed to one user,
 * one session or one validated tenant by the caller.
 */

export interface Membership extends Record<string, unknown> {
  id: string;
  tenantId: string;
  role: MemberRole;
  status: string;
}

/** The user's membership of a tenant, with the tenant's status; undefined if none. */
export async function membershipOf(
  db: Database,
  userId: string,
  tenantId: string,
): Promise<Membership | undefined> {
  const [row] = await queryRows<Membership>(
    db,
    sql`select m.id, m.organization_id as "tenantId", m.role, t.status
        from ${members} m join ${tenants} t on t.id = m.organization_id
        where m.user_id = ${userId} and m.organization_id = ${tenantId}`,
  );
  return row;
}

/** The user's most recently used membership of an active tenant (a session's repair). */
export async function latestActiveMembership(
  db: Database,
  userId: string,
): Promise<Membership | undefined> {
  const [row] = await queryRows<Membership>(
    db,
    sql`select m.id, m.organization_id as "tenantId", m.role, t.status
        from ${members} m join ${tenants} t on t.id = m.organization_id
        where m.user_id = ${userId} and t.status = 'active'
        order by m.last_active_at desc nulls last, m.created_at desc
        limit 1`,
  );
  return row;
}

/** Points a session at a tenant; with `onlyIf`, only while it still points at that one. */
export async function setSessionTenant(
  db: Database,
  sessionId: string,
  tenantId: string,
  onlyIf?: string,
): Promise<void> {
  const where = onlyIf
    ? and(eq(sessions.id, sessionId), eq(sessions.activeOrganizationId, onlyIf))
    : eq(sessions.id, sessionId);
  await db.update(sessions).set({ activeOrganizationId: tenantId }).where(where);
}

/** The tenants a user belongs to, most recently used first. */
export function tenantsOfUser(db: Database, userId: string) {
  return db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      status: tenants.status,
      role: members.role,
    })
    .from(members)
    .innerJoin(tenants, eq(tenants.id, members.organizationId))
    .where(eq(members.userId, userId))
    .orderBy(sql`${members.lastActiveAt} desc nulls last`, tenants.name);
}

/** Remembers that a membership was just chosen (orders tenant.mine and the repair). */
export async function markMembershipUsed(db: Database, memberId: string): Promise<void> {
  await db.update(members).set({ lastActiveAt: new Date() }).where(eq(members.id, memberId));
}

export async function tenantById(db: Database, tenantId: string) {
  const [tenant] = await db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, status: tenants.status })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new NotFoundError("tenant");
  return tenant;
}

/** The member row, if it belongs to the tenant; NOT_FOUND otherwise, like a random id. */
export async function memberOfTenant(db: Database, tenantId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.organizationId, tenantId)));
  if (!row) throw new NotFoundError("member");
  return row;
}

/** A tenant's members with their names and addresses, by name. */
export function listMembers(db: Database, tenantId: string) {
  return db
    .select({
      id: members.id,
      userId: members.userId,
      role: members.role,
      name: users.name,
      email: users.email,
      createdAt: members.createdAt,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.organizationId, tenantId))
    .orderBy(asc(users.name));
}

/**
 * A removed member's sessions that still point at the tenant are pointed at no tenant
 * (tenantAccessEnded): their next request must choose a tenant, never be repaired into one.
 */
export async function endSessionsInTenant(
  db: Database,
  userId: string,
  tenantId: string,
): Promise<void> {
  await db
    .update(sessions)
    .set({ activeOrganizationId: tenantAccessEnded })
    .where(and(eq(sessions.userId, userId), eq(sessions.activeOrganizationId, tenantId)));
}
