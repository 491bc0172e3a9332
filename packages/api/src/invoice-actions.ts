import type { MemberRole } from "@remit/db";
import { allowedActions, type InvoiceStatus } from "@remit/rules";

/*
 * What the caller may do next with an invoice, from @remit/rules: sent with invoice.get and with
 * each invoice.list row, so the web app shows the controls the server would accept instead of
 * keeping its own table. The database's triggers still decide (drizzle/0009).
 */

type Step = "submit" | "verify" | "approve" | "reject" | "markPaid";

/**
 * The rules package's AllowedActions, spelled out rather than imported: it reaches the typed
 * client's published declarations, which stand alone without workspace packages (as
 * InboxCounts does).
 * actionsOn returns the rules' value as this type, so a step added to the rules' lifecycle and
 * missing here fails to compile.
 */
export interface InvoiceActions {
  actions: Array<Step | "update" | "delete">;
  waitingOnOthers: Step[];
}

export function actionsOn(
  caller: { userId: string; role: MemberRole },
  invoice: { status: InvoiceStatus; submittedBy: string | null; verifiedBy: string | null },
  tenant: { separationOfDuties: boolean; approvers?: string[] },
): InvoiceActions {
  // Only what the rules read (ActionInvoice), not a copy of the whole row: an inbox page asks
  // this for every row.
  const { status, submittedBy, verifiedBy } = invoice;
  return allowedActions(
    {
      status,
      submittedBy,
      verifiedBy,
      ...(tenant.approvers ? { approvers: tenant.approvers } : {}),
    },
    { userId: caller.userId, role: caller.role, separationOfDuties: tenant.separationOfDuties },
  );
}
