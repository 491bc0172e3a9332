import { sql } from "drizzle-orm";
import { index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { tenants } from "./platform";

/**
 * Suppliers: tenant-owned rows, plus global ones (tenant_id IS NULL) that every tenant may read
 * and none may write through remit_app. Because a global row has no tenant_id, it cannot be the
 * target of a tenant-scoped composite foreign key: invoices reference the tenant's own supplier
 * rows only, and a tenant adopts a global supplier by copying it (global_supplier_id records
 * where it came from; a trigger checks it is a global row). That keeps every foreign key between
 * tenant tables tenant-bound, and keeps joins colocated if the schema is ever sharded by tenant.
 */
export const suppliers = pgTable(
  "suppliers",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    taxId: text("tax_id"),
    email: text("email"),
    address: text("address"),
    /** Where payments go (IBAN or account number) and the bank's code (BIC, sort code). */
    bankAccount: text("bank_account"),
    bankCode: text("bank_code"),
    globalSupplierId: uuid("global_supplier_id"),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("suppliers_tenant_id_id_unique").on(t.tenantId, t.id),
    index("suppliers_tenant_id_idx").on(t.tenantId),
    index("suppliers_tenant_tax_id_idx").on(t.tenantId, t.taxId),
    index("suppliers_created_by_idx").on(t.createdBy),
  ],
);
