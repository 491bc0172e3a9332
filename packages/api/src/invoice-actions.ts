import type { MemberRole } from "@remit/db";
import { type AllowedActions, allowedActions, type InvoiceStatus } from "@remit/rules";

/*
 * What the caller may do next with an invoice, from @remit/rules: sent with invoice.get and with
 * each invoice.list row, so the web app shows the controls the server would accept instead of
 * keeping its own table. The database's triggers still decide (drizzle/0009).
 */
export function actionsOn(
  caller: { userId: string; role: MemberRole },
  invoice: { status: InvoiceStatus; submittedBy: string | null; verifiedBy: string | null },
  tenant: { separationOfDuties: boolean; approvers?: string[] },
): AllowedActions {
  return allowedActions(
    { ...invoice, ...(tenant.approvers ? { approvers: tenant.approvers } : {}) },
    { userId: caller.userId, role: caller.role, separationOfDuties: tenant.separationOfDuties },
  );
}
