import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey, updatedAt } from "./columns";
import { tenants } from "./platform";

/*
 * Tenant webhooks (drizzle/0014, docs/webhooks.md). An admin registers endpoints; a trigger on
 * invoices writes one event and one delivery per subscribed endpoint in the same transaction as
 * the status change (the outbox); the dispatcher claims due deliveries with
 * claim_webhook_deliveries() and records each attempt under withTenant. The endpoint's signing
 * secret is stored encrypted (AES-256-GCM, key derived from the server secret): a database dump
 * alone cannot sign as Remit.
 */

/** The events an endpoint may subscribe to; `webhook.ping` is sent only by "test". */
export const webhookEventTypes = [
  "invoice.submitted",
  "invoice.approved",
  "invoice.rejected",
  "invoice.paid",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    ...tenantKey,
    url: text("url").notNull(),
    events: text("events").array().notNull(),
    /** `v1.<iv>.<ciphertext>.<tag>` (base64url), bound to (tenant_id, id); see webhook-secret.ts. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    /** The secret's last four characters, so admins can tell a rotated one from the old. */
    secretHint: text("secret_hint").notNull(),
    description: text("description").notNull().default(""),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "webhook_endpoints_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "webhook_endpoints_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    index("webhook_endpoints_tenant_id_idx").on(t.tenantId),
    check("webhook_endpoints_url_shape", sql`${t.url} ~ '^https?://' AND length(${t.url}) <= 2000`),
    check(
      "webhook_endpoints_events_check",
      sql`cardinality(${t.events}) between 1 and 4 AND ${t.events} <@ ARRAY['invoice.submitted', 'invoice.approved', 'invoice.rejected', 'invoice.paid']::text[]`,
    ),
    check("webhook_endpoints_description_bound", sql`length(${t.description}) <= 200`),
  ],
);

/** What happened, once per change: the payload every endpoint gets, byte for byte. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    ...tenantKey,
    type: text("type").notNull(),
    /** The invoice it is about (no foreign key: a rejected draft may be deleted, its event stays). */
    invoiceId: uuid("invoice_id"),
    payload: jsonb("payload").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ name: "webhook_events_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "webhook_events_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    index("webhook_events_tenant_occurred_idx").on(t.tenantId, t.occurredAt),
    check(
      "webhook_events_type_check",
      sql`${t.type} in ('invoice.submitted', 'invoice.approved', 'invoice.rejected', 'invoice.paid', 'webhook.ping')`,
    ),
  ],
);

export const webhookDeliveryStatuses = ["pending", "delivered", "failed", "dead"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/** One event to one endpoint: its retry state and what the last attempt got. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    ...tenantKey,
    eventId: uuid("event_id").notNull(),
    endpointId: uuid("endpoint_id").notNull(),
    /** pending: not tried yet; failed: will be retried at next_attempt_at; delivered; dead. */
    status: text("status", { enum: webhookDeliveryStatuses }).notNull().default("pending"),
    /** Attempts ever made (only grows: it fences a claimed attempt's result). */
    attempts: integer("attempts").notNull().default(0),
    /** `attempts` when last redelivered by hand: the retry budget counts from here. */
    attemptBase: integer("attempt_base").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, mode: "date" }),
    lastStatusCode: integer("last_status_code"),
    /** One short sentence: what went wrong (never the receiver's body beyond a few words). */
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "webhook_deliveries_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "webhook_deliveries_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "webhook_deliveries_event_fk",
      columns: [t.tenantId, t.eventId],
      foreignColumns: [webhookEvents.tenantId, webhookEvents.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "webhook_deliveries_endpoint_fk",
      columns: [t.tenantId, t.endpointId],
      foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.id],
    }).onDelete("cascade"),
    index("webhook_deliveries_endpoint_idx").on(t.tenantId, t.endpointId, t.createdAt),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'failed')`),
    check(
      "webhook_deliveries_status_check",
      sql`${t.status} in ('pending', 'delivered', 'failed', 'dead')`,
    ),
    check("webhook_deliveries_error_bound", sql`length(${t.lastError}) <= 300`),
    check("webhook_deliveries_attempts_check", sql`${t.attempts} >= ${t.attemptBase}`),
  ],
);
