import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey } from "./columns";
import { tenants } from "./platform";

/** Append-only for remit_app: INSERT and SELECT of its own tenant, nothing else. */
export const auditLog = pgTable(
  "audit_log",
  {
    ...tenantKey,
    actorId: uuid("actor_id"),
    actorType: text("actor_type", { enum: ["user", "service", "system"] })
      .notNull()
      .default("user"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    /** A before/after summary of what changed; never whole documents. */
    summary: jsonb("summary").notNull().default(sql`'{}'::jsonb`),
    requestId: text("request_id"),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "audit_log_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "audit_log_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    index("audit_log_tenant_id_idx").on(t.tenantId),
    index("audit_log_tenant_created_at_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    index("audit_log_tenant_action_idx").on(t.tenantId, t.action),
    index("audit_log_actor_idx").on(t.actorId),
    check("audit_log_actor_type_check", sql`${t.actorType} in ('user', 'service', 'system')`),
  ],
);

export const tenantContextOutcomes = ["ok", "repaired", "repair_failed", "denied"] as const;
export type TenantContextOutcome = (typeof tenantContextOutcomes)[number];
export const tenantContextOutcome = pgEnum("tenant_context_outcome", tenantContextOutcomes);

/**
 * One row per resolved request context (ok, repaired, repair_failed, denied), for the health
 * metrics. tenant_id is NULL when no tenant could be resolved at all, so the key is (id) with
 * (tenant_id, id) unique rather than a composite primary key.
 */
export const tenantContextEvents = pgTable(
  "tenant_context_events",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id"),
    outcome: tenantContextOutcome("outcome").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("tenant_context_events_tenant_id_id_unique").on(t.tenantId, t.id),
    index("tenant_context_events_tenant_created_at_idx").on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
    ),
    index("tenant_context_events_created_at_idx").on(t.createdAt.desc().nullsFirst()),
  ],
);
