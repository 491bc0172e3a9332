import { randomUUID } from "node:crypto";
import { type MemberRole, members, tenants, users } from "../schema";
import type { Database } from "../types";
import type { TenantContext } from "../with-tenant";

export interface SeededTenant {
  tenantId: string;
  /** One member per role, each a ready withTenant context. */
  as: Record<MemberRole, TenantContext>;
}

/**
 * Creates a tenant with an admin, a verifier and a user. Platform rows (users, tenants,
 * members) are written by the connecting role, as the auth layer does; nothing here touches a
 * tenant table.
 */
export async function seedTenant(db: Database, label = "t"): Promise<SeededTenant> {
  const tenantId = randomUUID();
  const suffix = tenantId.slice(0, 8);
  await db
    .insert(tenants)
    .values({ id: tenantId, name: `${label} ${suffix}`, slug: `${label}-${suffix}` });
  const roles = ["admin", "verifier", "user"] as const;
  const entries = roles.map((role) => ({ role, userId: randomUUID() }));
  await db.insert(users).values(
    entries.map(({ role, userId }) => ({
      id: userId,
      name: `${role} of ${label}`,
      email: `${role}-${userId}@example.test`,
    })),
  );
  await db
    .insert(members)
    .values(entries.map(({ role, userId }) => ({ organizationId: tenantId, userId, role })));
  const as = Object.fromEntries(
    entries.map(({ role, userId }) => [role, { tenantId, userId, role }]),
  ) as Record<MemberRole, TenantContext>;
  return { tenantId, as };
}
