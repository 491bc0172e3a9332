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
  invoice: ["read", "create", "update", "delete", "submit", "verify", "approve"],
  supplier: ["read", "write"],
  audit: ["read"],
  /** Approval settings: separation of duties and the approval bands. */
  settings: ["write"],
  mail: ["manage"],
  /** Tenant webhooks: endpoints, their secrets, the delivery log. */
  webhook: ["manage"],
} as const;

export const ac = createAccessControl(statement);

export const roles = {
  admin: ac.newRole({
    ...adminAc.statements,
    member: ["create", "update", "delete", "manage"],
    invoice: ["read", "create", "update", "delete", "submit", "verify", "approve"],
    supplier: ["read", "write"],
    audit: ["read"],
    settings: ["write"],
    mail: ["manage"],
    webhook: ["manage"],
  }),
  verifier: ac.newRole({
    invoice: ["read", "create", "update", "delete", "submit", "verify", "approve"],
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
