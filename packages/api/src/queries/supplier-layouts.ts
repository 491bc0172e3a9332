import { supplierLayouts, suppliers, type TenantDb } from "@remit/db";
import type { SupplierLayout } from "@remit/extract/memory";
import { and, arrayOverlaps, eq, sql } from "drizzle-orm";

/*
 * Supplier memory rows (supplier_layouts): plain functions of a tenant-bound transaction;
 * RLS keeps each tenant to its own rows, so a lookup never filters by tenant itself.
 */

export interface StoredLayout {
  supplierId: string;
  layout: SupplierLayout;
  ibans: string[];
}

const asLayout = (value: unknown): SupplierLayout | null => {
  if (!value || typeof value !== "object") return null;
  const layout = value as SupplierLayout;
  return layout.version === 1 && layout.fields && typeof layout.fields === "object" ? layout : null;
};

export async function layoutOf(db: TenantDb, supplierId: string): Promise<StoredLayout | null> {
  const [row] = await db
    .select()
    .from(supplierLayouts)
    .where(eq(supplierLayouts.supplierId, supplierId));
  const layout = row ? asLayout(row.layout) : null;
  return row && layout ? { supplierId: row.supplierId, layout, ibans: row.ibans } : null;
}

/** The one supplier whose verified documents showed one of these IBANs; null if none or several. */
export async function supplierByIban(db: TenantDb, ibans: string[]): Promise<string | null> {
  if (ibans.length === 0) return null;
  const rows = await db
    .select({ supplierId: supplierLayouts.supplierId })
    .from(supplierLayouts)
    .where(arrayOverlaps(supplierLayouts.ibans, ibans))
    .limit(2);
  return rows.length === 1 ? (rows[0]?.supplierId ?? null) : null;
}

/** The tenant's own copy of a global supplier, if it has adopted it. */
export async function tenantCopyOf(db: TenantDb, globalId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: suppliers.id })
    .from(suppliers)
    .where(and(eq(suppliers.globalSupplierId, globalId), sql`${suppliers.tenantId} is not null`));
  return row?.id ?? null;
}

export async function saveLayout(
  db: TenantDb,
  row: StoredLayout & { tenantId: string; invoiceId: string },
): Promise<void> {
  const values = {
    layout: row.layout,
    ibans: row.ibans,
    learnedFromInvoiceId: row.invoiceId,
    updatedAt: new Date(),
  };
  await db
    .insert(supplierLayouts)
    .values({ tenantId: row.tenantId, supplierId: row.supplierId, ...values })
    .onConflictDoUpdate({
      target: [supplierLayouts.tenantId, supplierLayouts.supplierId],
      set: values,
    });
}
