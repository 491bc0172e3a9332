import {
  documents,
  invoiceComments,
  invoiceDuplicates,
  invoices,
  ocrJobs,
  suppliers,
  type TenantDb,
  tenantSettings,
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

type InboxRowKey = keyof typeof inboxRowFields;

/**
 * Whether the tenant keeps duties separated (its settings row, under RLS; true without one),
 * which each row's allowed actions depend on. Selected beside the row fields, not as one of them:
 * it is not sent. Uncorrelated, so PostgreSQL reads it once per statement (an InitPlan), and the
 * page needs no statement of its own for it.
 */
export const dutiesSeparatedField = sql<boolean>`coalesce((select ts.separation_of_duties
  from ${tenantSettings} ts limit 1), true)`;

/** The setting as a page's rows carry it; an empty page has no row to act on either way. */
export const dutiesSeparatedOf = (rows: Array<{ dutiesSeparated: boolean }>): boolean =>
  rows[0]?.dutiesSeparated ?? true;

/**
 * The page's rows as the API sends them, each with its rejecter's name (a member of this tenant,
 * for a rejected draft). Each item is written out key by key as one object literal, in the
 * order of inboxRowFields (the compiler holds the two to the same keys), and the selection's
 * extra columns (a cursor's, a sort's key) are left out. Drizzle's rows gain their keys one by
 * one and V8 keeps objects that grow that large as hash tables; every later step (the caller's
 * actions, the serializer's walk, JSON.stringify) costs two to three times as much on those as
 * on the literal's fixed shape (docs/benchmarks.md, bench:api).
 */
export async function inboxItems<T extends Record<InboxRowKey, unknown>>(
  db: TenantDb,
  rows: T[],
): Promise<Array<Pick<T, InboxRowKey> & { rejectedByName: string | null }>> {
  const names = await memberNames(
    db,
    rows.map((row) => row.rejectedBy as string | null),
  );
  return rows.map((row) => {
    const item: Pick<T, InboxRowKey> & { rejectedByName: string | null } = {
      id: row.id,
      status: row.status,
      isLocked: row.isLocked,
      invoiceNumber: row.invoiceNumber,
      invoiceDate: row.invoiceDate,
      dueDate: row.dueDate,
      currency: row.currency,
      total: row.total,
      supplierId: row.supplierId,
      supplierName: row.supplierName,
      readSupplierName: row.readSupplierName,
      warnings: row.warnings,
      ocrStatus: row.ocrStatus,
      possibleDuplicateOf: row.possibleDuplicateOf,
      fileName: row.fileName,
      createdBy: row.createdBy,
      submittedBy: row.submittedBy,
      verifiedBy: row.verifiedBy,
      createdAt: row.createdAt,
      approvedAt: row.approvedAt,
      paidAt: row.paidAt,
      rejectedBy: row.rejectedBy,
      rejectedAt: row.rejectedAt,
      rejectionReason: row.rejectionReason,
      rejectedByName: row.rejectedBy ? (names[row.rejectedBy as string] ?? null) : null,
    };
    return item;
  });
}
