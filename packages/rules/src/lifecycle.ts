import type { Permission } from "./permissions";

/*
 * The invoice lifecycle, as the database enforces it (drizzle/0009 invoices_guard_update and
 * invoice_approvals_guard, drizzle/0015 for paid; packages/api/test/lifecycle-rules.test.ts tries every status pair on
 * the database and compares). Adding a status is one line in `statuses`; adding a step is one
 * line in `transitions`.
 */

export const statuses = {
  draft: { label: "Draft", locked: false },
  pending_verification: { label: "Pending verification", locked: false },
  verified: { label: "Verified", locked: false },
  /** Approved: locked for good, nothing of it changes any more. */
  approved_to_ap: { label: "Approved to AP", locked: true },
  /** Paid: set from the accounting side after approval (drizzle/0015); still locked. */
  paid: { label: "Paid", locked: true },
} as const satisfies Record<string, { label: string; locked: boolean }>;

export type InvoiceStatus = keyof typeof statuses;
export const invoiceStatuses = Object.keys(statuses) as InvoiceStatus[];

export const statusLabel = (status: InvoiceStatus): string => statuses[status].label;
export const isLockedStatus = (status: InvoiceStatus): boolean => statuses[status].locked;

/**
 * The steps: which statuses each starts from, where it leads and the permission it needs.
 * Approval is a row per approver (the database moves the invoice to `to` once its approval
 * band is met, so an approval can also leave it verified, waiting for the next approver).
 */
export const transitions = {
  submit: { from: ["draft"], to: "pending_verification", permission: "invoice:submit" },
  verify: { from: ["pending_verification"], to: "verified", permission: "invoice:verify" },
  approve: { from: ["verified"], to: "approved_to_ap", permission: "invoice:approve" },
  reject: { from: ["pending_verification", "verified"], to: "draft", permission: "invoice:verify" },
  markPaid: { from: ["approved_to_ap"], to: "paid", permission: "invoice:markPaid" },
} as const satisfies Record<
  string,
  { from: readonly InvoiceStatus[]; to: InvoiceStatus; permission: Permission }
>;

export type Transition = keyof typeof transitions;
export const transitionNames = Object.keys(transitions) as Transition[];

/** The step from `from` to `to`, if the lifecycle has one. */
export function transitionBetween(from: InvoiceStatus, to: InvoiceStatus): Transition | null {
  return (
    transitionNames.find((name) => {
      const edge = transitions[name];
      return edge.to === to && (edge.from as readonly InvoiceStatus[]).includes(from);
    }) ?? null
  );
}

/** Whether `transition` starts from `status`. */
export const startsFrom = (transition: Transition, status: InvoiceStatus): boolean =>
  (transitions[transition].from as readonly InvoiceStatus[]).includes(status);

/** Edits (fields, OCR proposal) are open until the invoice is locked; deleting, in draft only. */
export const editable = (status: InvoiceStatus): boolean => !isLockedStatus(status);
export const deletable = (status: InvoiceStatus): boolean => status === "draft";
