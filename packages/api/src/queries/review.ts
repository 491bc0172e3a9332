import { invoiceComments, ocrJobs, type TenantDb } from "@remit/db";
import { and, desc, eq } from "drizzle-orm";
import { PreconditionError } from "../errors";
import { approvalRequirement, approvalSettings, approvalsOf, memberNames } from "./approval";

/*
 * What a reviewer needs beyond the invoice's columns: whether it may be submitted yet, the
 * warnings that stand until someone acknowledges them, who did each step (by name), what its
 * approval policy asks and who has approved, and for each field whether a person or the OCR
 * reading set it.
 */

interface InvoiceRow {
  id: string;
  status: string;
  supplierId: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  currency: string | null;
  total: string | null;
  warnings: string[];
  editedFields: string[];
  extraction: unknown;
  createdBy: string;
  submittedAt: Date | null;
  submittedBy: string | null;
  verifiedBy: string | null;
  approvedBy: string | null;
  rejectedBy: string | null;
  rejectedAt: Date | null;
  dutiesRelaxed: boolean;
  reviewRound: number;
  bankDetailsChangedAt: Date | null;
}

interface ExtractedField {
  value?: unknown;
  confidence?: unknown;
}

const extractedFields = (invoice: Pick<InvoiceRow, "extraction">) =>
  ((invoice.extraction as { fields?: Record<string, ExtractedField | null> } | null)?.fields ??
    {}) as Record<string, ExtractedField | null | undefined>;

/** The supplier's name as the OCR reading found it, for an invoice not yet linked to one. */
export function readSupplierName(invoice: Pick<InvoiceRow, "extraction">): string | null {
  const value = extractedFields(invoice).supplierName?.value;
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

const bankWarning = (at: Date) =>
  `the supplier's bank details changed on ${at.toISOString().slice(0, 10)}; confirm them with the supplier before paying`;

/** The invoice's warnings, and the bank-details flag while it is not approved. */
export function standingWarnings(invoice: InvoiceRow): string[] {
  const warnings = [...invoice.warnings];
  if (invoice.bankDetailsChangedAt && invoice.status !== "approved_to_ap") {
    warnings.push(bankWarning(invoice.bankDetailsChangedAt));
  }
  return warnings;
}

/** Bank details that changed after the invoice was submitted: its approver must acknowledge. */
export function newBankWarning(invoice: InvoiceRow): string | null {
  const changed = invoice.bankDetailsChangedAt;
  if (!changed || (invoice.submittedAt && changed <= invoice.submittedAt)) return null;
  return bankWarning(changed);
}

/**
 * The submit gate: not while the document is still being read; supplier (linked, or read by
 * OCR), number, date, total and currency filled in; standing warnings acknowledged. Returns the
 * warnings acknowledged, for the audit row.
 */
export async function checkSubmittable(
  db: TenantDb,
  invoice: InvoiceRow,
  acknowledgeWarnings: boolean,
): Promise<string[]> {
  const [job] = await db
    .select({ status: ocrJobs.status })
    .from(ocrJobs)
    .where(eq(ocrJobs.invoiceId, invoice.id))
    .orderBy(desc(ocrJobs.createdAt))
    .limit(1);
  if (job && (job.status === "queued" || job.status === "running")) {
    throw new PreconditionError(
      "the document is still being read; submit the invoice once reading has finished",
    );
  }
  const missing = [
    !invoice.supplierId && !readSupplierName(invoice) ? "supplier" : null,
    invoice.invoiceNumber ? null : "invoice number",
    invoice.invoiceDate ? null : "invoice date",
    invoice.total ? null : "total",
    invoice.currency ? null : "currency",
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    throw new PreconditionError(`to submit the invoice, fill in: ${missing.join(", ")}`);
  }
  const warnings = standingWarnings(invoice);
  if (warnings.length > 0 && !acknowledgeWarnings) {
    throw new PreconditionError(
      `the invoice has warnings; acknowledge them to submit it: ${warnings.join("; ")}`,
    );
  }
  return warnings;
}

const reviewedFields = [
  ["supplierId", "supplierName"],
  ["invoiceNumber", "invoiceNumber"],
  ["invoiceDate", "invoiceDate"],
  ["dueDate", "dueDate"],
  ["currency", "currency"],
  ["subtotal", "subtotal"],
  ["taxAmount", "tax"],
  ["total", "total"],
  ["amountDue", "amountDue"],
  ["lineItems", "lineItems"],
] as const;

export type FieldSource =
  | { source: "person" }
  | { source: "ocr"; confidence: number | null }
  | { source: "none" };

/** Per field: a person edited it (it says so), or the OCR reading set it (with its confidence). */
export function fieldSources(invoice: Pick<InvoiceRow, "editedFields" | "extraction">) {
  const read = extractedFields(invoice);
  const edited = new Set(invoice.editedFields);
  return Object.fromEntries(
    reviewedFields.map(([column, key]): [string, FieldSource] => {
      if (edited.has(column)) return [column, { source: "person" }];
      const field = read[key];
      if (field && field.value !== undefined && field.value !== null) {
        const confidence = typeof field.confidence === "number" ? field.confidence : null;
        return [column, { source: "ocr", confidence }];
      }
      return [column, { source: "none" }];
    }),
  );
}

/** The people, policy, approvals and rejection of an invoice, as the review screen shows them. */
export async function reviewOf(db: TenantDb, tenantId: string, invoice: InvoiceRow) {
  const [approvals, requirement, settings, rejections] = await Promise.all([
    approvalsOf(db, invoice.id),
    approvalRequirement(db, tenantId, invoice.currency, invoice.total),
    approvalSettings(db),
    db
      .select({ body: invoiceComments.body, createdAt: invoiceComments.createdAt })
      .from(invoiceComments)
      .where(and(eq(invoiceComments.invoiceId, invoice.id), eq(invoiceComments.kind, "rejection")))
      .orderBy(desc(invoiceComments.createdAt))
      .limit(1),
  ]);
  const names = await memberNames(db, [
    invoice.createdBy,
    invoice.submittedBy,
    invoice.verifiedBy,
    invoice.approvedBy,
    invoice.rejectedBy,
    ...approvals.map((a) => a.approverId),
  ]);
  const person = (id: string | null) => (id ? { id, name: names[id] ?? null } : null);
  const current = approvals.filter((a) => a.round === invoice.reviewRound);
  return {
    people: {
      createdBy: person(invoice.createdBy),
      submittedBy: person(invoice.submittedBy),
      verifiedBy: person(invoice.verifiedBy),
      approvedBy: person(invoice.approvedBy),
    },
    /** Set while the invoice is back in draft after a rejection: who, when and why. */
    rejection:
      invoice.status === "draft" && invoice.rejectedBy && invoice.rejectedAt
        ? {
            by: person(invoice.rejectedBy),
            at: invoice.rejectedAt,
            reason: rejections[0]?.body ?? null,
          }
        : null,
    approval: {
      requiredApprovals: requirement.requiredApprovals,
      requireAdmin: requirement.requireAdmin,
      separationOfDuties: settings.separationOfDuties,
      /** One person took two steps of this invoice because the tenant relaxed the rule. */
      dutiesRelaxed: invoice.dutiesRelaxed || current.some((a) => a.dutiesRelaxed),
      /** This review round's approvals, in order. */
      chain: current.map((a) => ({ ...a, approver: person(a.approverId) })),
      /** Approvals of earlier rounds (before a rejection): kept, no longer counted. */
      earlier: approvals
        .filter((a) => a.round !== invoice.reviewRound)
        .map((a) => ({ ...a, approver: person(a.approverId) })),
    },
    standingWarnings: standingWarnings(invoice),
    fieldSources: fieldSources(invoice),
  };
}
