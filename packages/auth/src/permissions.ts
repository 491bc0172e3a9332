import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/organization/access";

/**
 * Every permission in Remit, declared once. better-auth's own organization endpoints check the
 * default statements (invitation:create, member:delete, …), so those stay; Remit's nouns are
 * added beside them.
 */
export const statement = {
  ...defaultStatements,
  member: [...defaultStatements.member, "manage"],
  /** markPaid: the hand-off to accounting, approved_to_ap -> paid (docs/lifecycle.md). */
  invoice: ["read", "create", "update", "delete", "submit", "verify", "approve", "markPaid"],
  supplier: ["read", "write"],
  audit: ["read"],
  /** Approval settings: separation of duties and the approval bands. */
  settings: ["write"],
  mail: ["manage"],
} as const;

export const ac = createAccessControl(statement);

export const roles = {
  admin: ac.newRole({
    ...adminAc.statements,
    member: ["create", "update", "delete", "manage"],
    invoice: ["read", "create", "update", "delete", "submit", "verify", "approve", "markPaid"],
    supplier: ["read", "write"],
    audit: ["read"],
    settings: ["write"],
    mail: ["manage"],
  }),
  // There is no accounting role: the approvers are who hand an invoice to accounts payable, so
  // they (and admins) also record that it was paid.
  verifier: ac.newRole({
    invoice: ["read", "create", "update", "delete", "submit", "verify", "approve", "markPaid"],
    supplier: ["read", "write"],
  }),
  user: ac.newRole({
    invoice: ["read", "create", "update", "delete", "submit"],
    supplier: ["read"],
  }),
};

export type Role = keyof typeof roles;
type Statement = typeof statement;
export type Permission = {
  [K in keyof Statement]: `${K & string}:${Statement[K][number]}`;
}[keyof Statement];

/** `can("verifier", "invoice:approve")`: a local check, no database call. */
export function can(role: Role, permission: Permission): boolean {
  const [resource, action] = permission.split(":") as [keyof Statement, string];
  return roles[role].authorize({ [resource]: [action] } as never).success;
}
