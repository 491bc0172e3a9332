import { type MemberRole, queryRows, type TenantDb } from "@remit/db";
import { sql } from "drizzle-orm";
import { approvalRequirement } from "../queries/approval";

/*
 * Who can act next on an invoice that just entered a step, decided inside the step's transaction
 * (what it sees is what was committed with it): the same rules as invoice.waiting and the
 * triggers. The people themselves (their addresses) are looked up after the commit, among the
 * members of this tenant only (notify.ts).
 */

export type NextStep =
  | {
      kind: "verify" | "approve";
      invoiceId: string;
      /** Roles that may take the step, and the people ruled out by separation of duties. */
      roles: MemberRole[];
      exclude: string[];
      label: string;
    }
  | { kind: "rejected"; invoiceId: string; to: string[]; label: string; reason: string };

interface InvoiceFacts {
  id: string;
  status: string;
  invoiceNumber: string | null;
  currency: string | null;
  total: string | null;
  submittedBy: string | null;
  verifiedBy: string | null;
  reviewRound: number;
}

const labelOf = (i: InvoiceFacts) =>
  `Invoice ${i.invoiceNumber ?? "(no number)"}${i.total ? ` over ${i.total} ${i.currency ?? ""}`.trimEnd() : ""}`;

async function separated(db: TenantDb, tenantId: string) {
  const [row] = await queryRows<{ on: boolean }>(
    db,
    sql`select public.duties_separated(${tenantId}::uuid) as "on"`,
  );
  return row?.on ?? true;
}

/** After submit, verify or an approval that did not lock it: who takes the next step. */
export async function nextStepOf(
  db: TenantDb,
  tenantId: string,
  invoice: InvoiceFacts,
): Promise<NextStep | null> {
  const strict = await separated(db, tenantId);
  if (invoice.status === "pending_verification") {
    return {
      kind: "verify",
      invoiceId: invoice.id,
      roles: ["admin", "verifier"],
      exclude: strict && invoice.submittedBy ? [invoice.submittedBy] : [],
      label: labelOf(invoice),
    };
  }
  if (invoice.status !== "verified") return null;
  const approvals = await queryRows<{ approverId: string; approverRole: string }>(
    db,
    sql`select approver_id as "approverId", approver_role as "approverRole" from invoice_approvals
        where tenant_id = ${tenantId}::uuid and invoice_id = ${invoice.id}::uuid
          and round = ${invoice.reviewRound}`,
  );
  const need = await approvalRequirement(db, tenantId, invoice.currency, invoice.total);
  const left = need.requiredApprovals - new Set(approvals.map((a) => a.approverId)).size;
  const adminMissing = need.requireAdmin && !approvals.some((a) => a.approverRole === "admin");
  const exclude = approvals.map((a) => a.approverId);
  if (strict) {
    for (const id of [invoice.submittedBy, invoice.verifiedBy]) if (id) exclude.push(id);
  }
  return {
    kind: "approve",
    invoiceId: invoice.id,
    // The last slot of a band that wants an admin is an admin's.
    roles: adminMissing && left <= 1 ? ["admin"] : ["admin", "verifier"],
    exclude,
    label: labelOf(invoice),
  };
}

/** After a rejection: whoever created and submitted it, to fix it. */
export function rejectedStep(
  before: InvoiceFacts & { createdBy: string },
  reason: string,
): NextStep {
  return {
    kind: "rejected",
    invoiceId: before.id,
    to: [...new Set([before.createdBy, before.submittedBy].filter((id): id is string => !!id))],
    label: labelOf(before),
    reason,
  };
}
