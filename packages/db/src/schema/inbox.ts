import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey } from "./columns";
import { invoices } from "./invoices";
import { tenants, users } from "./platform";

/*
 * The clerk's inbox (drizzle/0016): possible duplicates, kept by the database on every write,
 * and each person's saved views.
 */

/**
 * One row per invoice that looks like a copy of another of its tenant: the same number, total
 * and invoice date as read from the documents, or the same linked supplier and number. Both
 * copies get a row, each naming the other. Kept by triggers on invoices (drizzle/0016), never
 * computed at list time; remit_app reads it under RLS and may not write it itself.
 */
export const invoiceDuplicates = pgTable(
  "invoice_duplicates",
  {
    tenantId: uuid("tenant_id").notNull(),
    invoiceId: uuid("invoice_id").notNull(),
    duplicateOf: uuid("duplicate_of").notNull(),
    /** The invoice's created_at, so that "possible duplicates" pages in the inbox's order. */
    invoiceCreatedAt: timestamp("invoice_created_at", {
      withTimezone: true,
      mode: "date",
    }).notNull(),
  },
  (t) => [
    primaryKey({ name: "invoice_duplicates_pkey", columns: [t.tenantId, t.invoiceId] }),
    foreignKey({
      name: "invoice_duplicates_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "invoice_duplicates_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "invoice_duplicates_duplicate_of_fk",
      columns: [t.tenantId, t.duplicateOf],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    index("invoice_duplicates_tenant_created_at_idx").on(
      t.tenantId,
      t.invoiceCreatedAt.desc(),
      t.invoiceId.desc(),
    ),
    index("invoice_duplicates_duplicate_of_idx").on(t.tenantId, t.duplicateOf),
  ],
);

/**
 * A person's saved inbox views: a name and the filters and sort it restores (validated by the
 * API's schema when saved and when read). Visible to its owner only, in its tenant only.
 */
export const inboxViews = pgTable(
  "inbox_views",
  {
    ...tenantKey,
    userId: uuid("user_id").notNull(),
    name: text("name").notNull(),
    query: jsonb("query").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "inbox_views_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "inbox_views_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "inbox_views_user_fk",
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete("cascade"),
    index("inbox_views_tenant_user_idx").on(t.tenantId, t.userId, t.name),
    check("inbox_views_name_bound", sql`length(${t.name}) between 1 and 60`),
  ],
);
