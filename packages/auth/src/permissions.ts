import { grants, type Role, statement as remitStatement } from "@remit/rules";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/organization/access";

/**
 * better-auth's access control, built from the role table in @remit/rules (the one the web app
 * and the client see through the server). better-auth's own organization endpoints check the
 * default statements (invitation:create, member:delete, …), so those stay; Remit's nouns are
 * added beside them, and the admin keeps better-auth's admin grants on top of Remit's.
 */
export const statement = { ...defaultStatements, ...remitStatement } as const;

export const ac = createAccessControl(statement);

export const roles = {
  admin: ac.newRole({ ...adminAc.statements, ...grants.admin }),
  verifier: ac.newRole(grants.verifier),
  user: ac.newRole(grants.user),
} satisfies Record<Role, unknown>;

export type { Role };

type Statement = typeof statement;
export type Permission = {
  [K in keyof Statement]: `${K & string}:${Statement[K][number]}`;
}[keyof Statement];

/** `can("verifier", "invoice:approve")`: a local check, no database call. */
export function can(role: Role, permission: Permission): boolean {
  const [resource, action] = permission.split(":") as [keyof Statement, string];
  return roles[role].authorize({ [resource]: [action] } as never).success;
}
