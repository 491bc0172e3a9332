import {
  type InvoiceStatus,
  invoiceLineItems,
  invoices,
  suppliers,
  type TenantDb,
} from "@remit/db";
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import { UnprocessableError } from "../errors";

/*
 * The invoices of one export, read inside the caller's withTenant transaction: RLS decides what
 * is visible, and the explicit tenant predicate only narrows it (as in the inbox). Another
 * tenant's id simply matches no row.
 */

/** More than this is refused with a sentence: one response holds the whole export. */
export const maxExportInvoices = 5000;

export interface ExportFilter {
  status?: InvoiceStatus | undefined;
  /** Only these invoices (the inbox's selection); unknown or foreign ids match nothing. */
  ids?: string[] | undefined;
}

interface Snapshot {
  supplierName?: string | null;
  supplierTaxId?: string | null;
  bankAccount?: string | null;
  bankCode?: string | null;
  invoiceNumber?: string | null;
  invoiceDate?: string | null;
  currency?: string | null;
  subtotal?: string | null;
  taxAmount?: string | null;
  total?: string | null;
  amountDue?: string | null;
}

export interface ExportLine {
  description: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
}

export interface ExportInvoice {
  id: string;
  status: InvoiceStatus;
  invoiceNumber: string | null;
  /** The name as approved for a locked invoice, else the linked supplier's (as the inbox). */
  supplierName: string | null;
  supplierTaxId: string | null;
  supplierAddress: string | null;
  bankAccount: string | null;
  bankCode: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  currency: string | null;
  subtotal: string | null;
  taxAmount: string | null;
  total: string | null;
  amountDue: string | null;
  approvedAt: Date | null;
  /** Set once accounting marked it paid (drizzle/0015). */
  paidAt: Date | null;
  paymentReference: string | null;
  lines: ExportLine[];
}

export async function exportRows(
  db: TenantDb,
  tenantId: string,
  filter: ExportFilter,
): Promise<ExportInvoice[]> {
  const where: SQL[] = [eq(invoices.tenantId, tenantId)];
  if (filter.status) where.push(eq(invoices.status, filter.status));
  // The route accepts at least one id (an empty selection is not "everything").
  if (filter.ids) where.push(inArray(invoices.id, filter.ids));
  const rows = await db
    .select({
      id: invoices.id,
      status: invoices.status,
      isLocked: invoices.isLocked,
      invoiceNumber: invoices.invoiceNumber,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      currency: invoices.currency,
      subtotal: invoices.subtotal,
      taxAmount: invoices.taxAmount,
      total: invoices.total,
      amountDue: invoices.amountDue,
      approvedAt: invoices.approvedAt,
      paidAt: invoices.paidAt,
      paymentReference: invoices.paymentReference,
      approvedSnapshot: invoices.approvedSnapshot,
      supplierName: suppliers.name,
      supplierTaxId: suppliers.taxId,
      supplierAddress: suppliers.address,
      bankAccount: suppliers.bankAccount,
      bankCode: suppliers.bankCode,
    })
    .from(invoices)
    .leftJoin(
      suppliers,
      and(eq(suppliers.tenantId, invoices.tenantId), eq(suppliers.id, invoices.supplierId)),
    )
    .where(and(...where))
    // The inbox's order (newest first), which is also the order the CLI always wrote.
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(maxExportInvoices + 1);
  if (rows.length > maxExportInvoices) {
    throw new UnprocessableError(
      `more than ${maxExportInvoices} invoices match; export one status or a selection at a time`,
    );
  }
  const lines =
    rows.length === 0
      ? []
      : await db
          .select({
            invoiceId: invoiceLineItems.invoiceId,
            description: invoiceLineItems.description,
            quantity: invoiceLineItems.quantity,
            unitPrice: invoiceLineItems.unitPrice,
            amount: invoiceLineItems.amount,
          })
          .from(invoiceLineItems)
          .where(
            and(
              eq(invoiceLineItems.tenantId, tenantId),
              inArray(
                invoiceLineItems.invoiceId,
                rows.map((r) => r.id),
              ),
            ),
          )
          .orderBy(asc(invoiceLineItems.position), asc(invoiceLineItems.createdAt));
  const linesOf = new Map<string, ExportLine[]>();
  for (const { invoiceId, ...line } of lines) {
    const list = linesOf.get(invoiceId) ?? [];
    list.push(line);
    linesOf.set(invoiceId, list);
  }
  return rows.map(({ isLocked, approvedSnapshot, ...row }) => {
    const snap = isLocked ? (approvedSnapshot as Snapshot | null) : null;
    const base = { ...row, lines: linesOf.get(row.id) ?? [] };
    if (!snap) return base;
    // What was approved, whatever the supplier row says today.
    return {
      ...base,
      supplierName: snap.supplierName ?? row.supplierName,
      supplierTaxId: snap.supplierTaxId ?? null,
      bankAccount: snap.bankAccount ?? null,
      bankCode: snap.bankCode ?? null,
      invoiceNumber: snap.invoiceNumber ?? row.invoiceNumber,
      invoiceDate: snap.invoiceDate ?? row.invoiceDate,
      currency: snap.currency ?? row.currency,
      subtotal: snap.subtotal ?? row.subtotal,
      taxAmount: snap.taxAmount ?? row.taxAmount,
      total: snap.total ?? row.total,
      amountDue: snap.amountDue ?? row.amountDue,
    };
  });
}
