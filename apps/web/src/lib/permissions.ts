import type { InvoiceStatus, Role } from "./trpc";

/*
 * A mirror of packages/auth/src/permissions.ts, to decide which controls to show. The server
 * decides what is allowed; this only avoids offering what it would refuse.
 */
type Permission =
  | "invoice:submit"
  | "invoice:verify"
  | "invoice:approve"
  | "invoice:markPaid"
  | "invoice:update"
  | "invoice:delete"
  | "supplier:write"
  | "member:manage"
  | "audit:read"
  | "settings:write"
  | "mail:manage";

const granted: Record<Role, readonly Permission[]> = {
  admin: [
    "invoice:submit",
    "invoice:verify",
    "invoice:approve",
    "invoice:markPaid",
    "invoice:update",
    "invoice:delete",
    "supplier:write",
    "member:manage",
    "audit:read",
    "settings:write",
    "mail:manage",
  ],
  verifier: [
    "invoice:submit",
    "invoice:verify",
    "invoice:approve",
    "invoice:markPaid",
    "invoice:update",
    "invoice:delete",
    "supplier:write",
  ],
  user: ["invoice:submit", "invoice:update", "invoice:delete"],
};

export function may(role: Role | undefined, permission: Permission): boolean {
  return role ? granted[role].includes(permission) : false;
}

export const statusLabel: Record<InvoiceStatus, string> = {
  draft: "Draft",
  pending_verification: "Pending verification",
  verified: "Verified",
  approved_to_ap: "Approved to AP",
  paid: "Paid",
};

export const statuses = Object.keys(statusLabel) as InvoiceStatus[];

export type Action = "submit" | "verify" | "approve" | "reject";

/** The lifecycle edges (packages/api/src/queries/invoices.ts): which action is open now. */
export function allowedActions(
  role: Role | undefined,
  status: InvoiceStatus,
  locked: boolean,
): Action[] {
  if (locked) return [];
  const out: Action[] = [];
  if (status === "draft" && may(role, "invoice:submit")) out.push("submit");
  if (status === "pending_verification" && may(role, "invoice:verify")) out.push("verify");
  if (status === "verified" && may(role, "invoice:approve")) out.push("approve");
  if ((status === "pending_verification" || status === "verified") && may(role, "invoice:verify"))
    out.push("reject");
  return out;
}
