import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";

/*
 * Platform tables: better-auth's own (users, tenants = organizations, members). The auth layer
 * reaches them directly; remit_app is granted nothing on them and no tenant business data
 * lives here. Tenant tables reference tenants(id) so a tenant's rows go when it goes.
 */

export const users = pgTable("users", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const tenantStatuses = ["active", "suspended"] as const;
export type TenantStatus = (typeof tenantStatuses)[number];

/** better-auth's organization model, renamed: a tenant. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    logo: text("logo"),
    metadata: text("metadata"),
    status: text("status", { enum: tenantStatuses }).notNull().default("active"),
    createdAt: createdAt(),
  },
  (t) => [check("tenants_status_check", sql`${t.status} in ('active', 'suspended')`)],
);

export const memberRoles = ["admin", "verifier", "user"] as const;
export type MemberRole = (typeof memberRoles)[number];

export const members = pgTable(
  "members",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: memberRoles }).notNull().default("user"),
    createdAt: createdAt(),
    /** When this membership was last the active tenant: the repair picks the most recent. */
    lastActiveAt: timestamp("last_active_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    unique("members_organization_user_unique").on(t.organizationId, t.userId),
    index("members_user_idx").on(t.userId),
    check("members_role_check", sql`${t.role} in ('admin', 'verifier', 'user')`),
  ],
);
