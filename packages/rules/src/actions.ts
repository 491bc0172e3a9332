import {
  deletable,
  editable,
  type InvoiceStatus,
  startsFrom,
  type Transition,
  transitionNames,
  transitions,
} from "./lifecycle";
import { can, type Role } from "./permissions";

/*
 * What the caller may do next with one invoice: the lifecycle step's status and permission,
 * and separation of duties (whoever submitted may not verify; whoever submitted or verified,
 * or already approved in this round, may not approve), unless the tenant relaxed it. The
 * server computes it (invoice.get, invoice.list) and the web app shows exactly these controls;
 * the database refuses anything else whatever a client shows.
 */

export type InvoiceAction = Transition | "update" | "delete";

export interface ActionInvoice {
  status: InvoiceStatus;
  submittedBy?: string | null;
  verifiedBy?: string | null;
  /** Who approved in the current review round; unknown (a list row) offers approve anyway. */
  approvers?: readonly string[];
}

export interface ActionCaller {
  userId: string;
  role: Role | null | undefined;
  /** The tenant's setting; separated unless its admin turned it off. */
  separationOfDuties: boolean;
}

/** The lifecycle steps the duties rule takes away from this caller (the role allows them). */
export function ruledOutByDuties(invoice: ActionInvoice, caller: ActionCaller): Transition[] {
  if (!caller.separationOfDuties) return [];
  const me = caller.userId;
  const out: Transition[] = [];
  if (invoice.submittedBy === me) out.push("verify");
  if (
    invoice.submittedBy === me ||
    invoice.verifiedBy === me ||
    (invoice.approvers ?? []).includes(me)
  ) {
    out.push("approve");
  }
  return out;
}

/** The steps the role and status allow, before separation of duties. */
function openSteps(invoice: ActionInvoice, role: Role | null | undefined): Transition[] {
  return transitionNames.filter(
    (name) => startsFrom(name, invoice.status) && can(role, transitions[name].permission),
  );
}

export interface AllowedActions {
  /** What the caller may do now, in the lifecycle's order, then update and delete. */
  actions: InvoiceAction[];
  /** Steps the caller's role allows but separation of duties leaves to someone else. */
  waitingOnOthers: Transition[];
}

export function allowedActions(invoice: ActionInvoice, caller: ActionCaller): AllowedActions {
  const steps = openSteps(invoice, caller.role);
  const ruledOut = ruledOutByDuties(invoice, caller);
  const actions: InvoiceAction[] = steps.filter((step) => !ruledOut.includes(step));
  if (editable(invoice.status) && can(caller.role, "invoice:update")) actions.push("update");
  if (deletable(invoice.status) && can(caller.role, "invoice:delete")) actions.push("delete");
  return { actions, waitingOnOthers: steps.filter((step) => ruledOut.includes(step)) };
}
