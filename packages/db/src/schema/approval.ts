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
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, money, tenantKey } from "./columns";
import { invoices } from "./invoices";
import { tenants } from "./platform";

/*
 * Approval: who may take which step (separation of duties, per tenant), how many approvals an
 * amount needs (bands per currency), and each approval as its own append-only row. The rules
 * are the database's (drizzle/0009_approval.sql); the API only asks.
 */

/** One row per tenant, written by its admins; no row means the defaults (duties separated). */
export const tenantSettings = pgTable(
  "tenant_settings",
  {
    ...tenantKey,
    /** Off only for a one-person company: then one person may submit, verify and approve. */
    separationOfDuties: boolean("separation_of_duties").notNull().default(true),
    updatedBy: uuid("updated_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "tenant_settings_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "tenant_settings_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    unique("tenant_settings_one_per_tenant").on(t.tenantId),
  ],
);

/**
 * An amount band: invoices in `currency` whose total is at least `minTotal` (and below the next
 * band's) need `requiredApprovals` distinct approvers, one of them an admin if `requireAdmin`.
 * An invoice no band covers needs one approval.
 */
export const approvalBands = pgTable(
  "approval_bands",
  {
    ...tenantKey,
    currency: text("currency").notNull(),
    minTotal: money("min_total").notNull(),
    requiredApprovals: integer("required_approvals").notNull().default(1),
    requireAdmin: boolean("require_admin").notNull().default(false),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "approval_bands_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "approval_bands_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    unique("approval_bands_tenant_currency_min_unique").on(t.tenantId, t.currency, t.minTotal),
    check("approval_bands_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("approval_bands_min_total_check", sql`${t.minTotal} >= 0`),
    check("approval_bands_required_check", sql`${t.requiredApprovals} between 1 and 10`),
  ],
);

/** One approval of one review round of an invoice, with what the approver approved. */
export const invoiceApprovals = pgTable(
  "invoice_approvals",
  {
    ...tenantKey,
    invoiceId: uuid("invoice_id").notNull(),
    round: integer("round").notNull(),
    approverId: uuid("approver_id").notNull(),
    approverRole: text("approver_role").notNull(),
    /** The tenant had relaxed separation of duties and this approver had taken another step. */
    dutiesRelaxed: boolean("duties_relaxed").notNull().default(false),
    /** Supplier name, tax id, bank details and totals as the approver saw them. */
    snapshot: jsonb("snapshot").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "invoice_approvals_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "invoice_approvals_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "invoice_approvals_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    unique("invoice_approvals_once_per_round").on(t.tenantId, t.invoiceId, t.round, t.approverId),
    index("invoice_approvals_approver_idx").on(t.approverId),
    check("invoice_approvals_role_check", sql`${t.approverRole} in ('admin', 'verifier')`),
  ],
);
