import {
  documents,
  invoiceComments,
  invoiceDuplicates,
  invoices,
  ocrJobs,
  suppliers,
  type TenantDb,
} from "@remit/db";
import { sql } from "drizzle-orm";
import { memberNames } from "./approval";

/*
 * What one inbox row shows, whichever query found it (the date-ordered page, a search's page or
 * a sorted, filtered page). Each extra column is one index lookup per row of the page.
 */
export const inboxRowFields = {
  id: invoices.id,
  status: invoices.status,
  isLocked: invoices.isLocked,
  invoiceNumber: invoices.invoiceNumber,
  invoiceDate: invoices.invoiceDate,
  dueDate: invoices.dueDate,
  currency: invoices.currency,
  total: invoices.total,
  supplierId: invoices.supplierId,
  /** What was approved, for a locked invoice: later supplier edits change neither it nor exports. */
  supplierName: sql<
    string | null
  >`coalesce(${invoices.approvedSnapshot} ->> 'supplierName', ${suppliers.name})`,
  /**
   * The supplier as read from the document (drizzle/0016's read_supplier_name), shown where no
   * supplier is linked yet: never "Unknown supplier" when a name was read.
   */
  readSupplierName: sql<string | null>`${invoices}.read_supplier_name`,
  warnings: invoices.warnings,
  /** The latest OCR job's status, for the inbox badge; null for invoices typed in by hand. */
  ocrStatus: sql<string | null>`(select j.status from ${ocrJobs} j
    where j.tenant_id = ${invoices.tenantId} and j.invoice_id = ${invoices.id}
    order by j.created_at desc limit 1)`,
  /** The other copy, on both copies: kept by the database on every write (drizzle/0016). */
  possibleDuplicateOf: sql<string | null>`(select d.duplicate_of from ${invoiceDuplicates} d
    where d.tenant_id = ${invoices.tenantId} and d.invoice_id = ${invoices.id})`,
  /** The uploaded file's name; null for invoices typed in by hand. */
  fileName: sql<string | null>`(select f.original_filename from ${documents} f
    where f.tenant_id = ${invoices.tenantId} and f.invoice_id = ${invoices.id}
    order by f.created_at limit 1)`,
  createdBy: invoices.createdBy,
  /** Who took the review's steps: what separation of duties asks of the next one. */
  submittedBy: invoices.submittedBy,
  verifiedBy: invoices.verifiedBy,
  createdAt: invoices.createdAt,
  approvedAt: invoices.approvedAt,
  paidAt: invoices.paidAt,
  /** A rejected draft: who sent it back, when, and why (its latest rejection comment). */
  rejectedBy: invoices.rejectedBy,
  rejectedAt: invoices.rejectedAt,
  rejectionReason: sql<string | null>`case when ${invoices.rejectedAt} is not null then
    (select c.body from ${invoiceComments} c
      where c.tenant_id = ${invoices.tenantId} and c.invoice_id = ${invoices.id}
        and c.kind = 'rejection' order by c.created_at desc limit 1) end`,
};

/** The rejecters' names, for a page's rejected drafts (members of this tenant only). */
export async function withRejecterNames<T extends { rejectedBy: string | null }>(
  db: TenantDb,
  items: T[],
): Promise<Array<T & { rejectedByName: string | null }>> {
  const names = await memberNames(
    db,
    items.map((row) => row.rejectedBy),
  );
  // The items are the caller's fresh rows: each gains the name in place, not as a copy.
  return items.map((item) =>
    Object.assign(item, {
      rejectedByName: item.rejectedBy ? (names[item.rejectedBy] ?? null) : null,
    }),
  );
}
