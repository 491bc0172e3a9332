import { invoices, queryRows, suppliers, type TenantDb } from "@remit/db";
import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";

export interface SupplierInput {
  name: string;
  taxId?: string | null | undefined;
  email?: string | null | undefined;
  address?: string | null | undefined;
  bankAccount?: string | null | undefined;
  bankCode?: string | null | undefined;
}

const columns = {
  id: suppliers.id,
  name: suppliers.name,
  taxId: suppliers.taxId,
  email: suppliers.email,
  address: suppliers.address,
  bankAccount: suppliers.bankAccount,
  bankCode: suppliers.bankCode,
  globalSupplierId: suppliers.globalSupplierId,
  isGlobal: sql<boolean>`${suppliers.tenantId} is null`,
};

/** The tenant's suppliers and the global ones (RLS shows exactly those), by name. */
export async function listSuppliers(
  db: TenantDb,
  input: { q?: string | undefined; limit: number },
) {
  const pattern = input.q ? `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return db
    .select(columns)
    .from(suppliers)
    .where(
      pattern ? or(ilike(suppliers.name, pattern), ilike(suppliers.taxId, pattern)) : undefined,
    )
    .orderBy(asc(suppliers.name), asc(suppliers.id))
    .limit(input.limit);
}

export async function getSupplier(db: TenantDb, id: string) {
  const [row] = await db.select(columns).from(suppliers).where(eq(suppliers.id, id));
  if (!row) throw new NotFoundError("supplier");
  return row;
}

export async function createSupplier(
  db: TenantDb,
  tenantId: string,
  input: SupplierInput & { globalSupplierId?: string | undefined },
) {
  const [row] = await db
    .insert(suppliers)
    .values({ ...input, tenantId })
    .returning(columns);
  return row;
}

/** Only the tenant's own rows change; a global supplier is read-only, and says so. */
async function own(db: TenantDb, id: string) {
  const row = await getSupplier(db, id);
  if (row.isGlobal) throw new ForbiddenError("global suppliers are read-only; copy one to edit it");
  return row;
}

export async function updateSupplier(db: TenantDb, id: string, data: Partial<SupplierInput>) {
  const before = await own(db, id);
  const [after] = await db
    .update(suppliers)
    .set(data)
    .where(eq(suppliers.id, id))
    .returning(columns);
  if (!after) throw new NotFoundError("supplier");
  return { before, after };
}

export async function deleteSupplier(db: TenantDb, id: string) {
  const before = await own(db, id);
  const [used] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.supplierId, id))
    .limit(1);
  if (used) throw new ConflictError("the supplier is used by invoices and cannot be deleted");
  await db.delete(suppliers).where(and(eq(suppliers.id, id)));
  return before;
}

/**
 * The supplier an invoice of this tenant should point at: the tenant's own row as it is, or for
 * a global supplier the tenant's copy of it, made on first use (global_supplier_id says where
 * it came from; the database checks it names a global row). `copied` says a copy was made now.
 * A supplier of another tenant is not found, exactly like one that never existed.
 */
export async function adoptGlobalSupplier(db: TenantDb, tenantId: string, id: string) {
  const chosen = await getSupplier(db, id);
  if (!chosen.isGlobal) return { supplier: chosen, copied: false };
  // Two first uses at once (a clerk's pick and the OCR worker's match) must make one copy, and
  // there is no unique key to conflict on: the second waits here until the first commits, then
  // finds its copy. A transaction-scoped lock, released with the transaction.
  await queryRows(
    db,
    sql`select pg_advisory_xact_lock(hashtextextended(${`supplier-copy:${tenantId}:${id}`}, 0))`,
  );
  const [existing] = await db
    .select(columns)
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.globalSupplierId, id)))
    .orderBy(asc(suppliers.id))
    .limit(1);
  if (existing) return { supplier: existing, copied: false };
  const [copy] = await db
    .insert(suppliers)
    .values({
      tenantId,
      globalSupplierId: id,
      name: chosen.name,
      taxId: chosen.taxId,
      email: chosen.email,
      address: chosen.address,
    })
    .returning(columns);
  if (!copy) throw new Error("insert returned no row");
  return { supplier: copy, copied: true };
}
