import { sql } from "drizzle-orm";
import {
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey, updatedAt } from "./columns";
import { tenants } from "./platform";
import { suppliers } from "./suppliers";

/**
 * What a tenant's corrections taught about one supplier's layout (@remit/extract/memory's
 * SupplierLayout: per field the label, same row or below, page zone, value format), and the
 * IBANs seen on the supplier's verified documents, which identify its next ones. One row per
 * tenant and supplier, tenant data like any other (RLS), gone with the supplier (composite
 * foreign key, ON DELETE CASCADE). Never shared: a global supplier has no memory, only a
 * tenant's copy of it.
 */
export const supplierLayouts = pgTable(
  "supplier_layouts",
  {
    ...tenantKey,
    supplierId: uuid("supplier_id").notNull(),
    layout: jsonb("layout").notNull(),
    ibans: text("ibans").array().notNull().default(sql`'{}'::text[]`),
    /** The verified invoice that taught the latest change. */
    learnedFromInvoiceId: uuid("learned_from_invoice_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "supplier_layouts_pkey", columns: [t.tenantId, t.id] }),
    unique("supplier_layouts_supplier_unique").on(t.tenantId, t.supplierId),
    foreignKey({
      name: "supplier_layouts_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "supplier_layouts_supplier_fk",
      columns: [t.tenantId, t.supplierId],
      foreignColumns: [suppliers.tenantId, suppliers.id],
    }).onDelete("cascade"),
    index("supplier_layouts_ibans_idx").using("gin", t.ibans),
  ],
);
