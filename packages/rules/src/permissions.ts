/*
 * Who may do what: Remit's permissions and the role → permission table, declared once. The
 * server checks them (packages/auth builds better-auth's access control from this table, and
 * the API's procedures name the permission they need); the web app and the client receive the
 * caller's list from the server (tenant.current) instead of keeping a copy.
 */

/** Every Remit noun and its actions. better-auth adds its own (organization, invitation, …). */
export const statement = {
  /** create/update/delete are better-auth's organization endpoints; manage is Remit's. */
  member: ["create", "update", "delete", "manage"],
  /** markPaid: the hand-off to accounting, approved_to_ap -> paid (docs/lifecycle.md). */
  invoice: ["read", "create", "update", "delete", "submit", "verify", "approve", "markPaid"],
  supplier: ["read", "write"],
  audit: ["read"],
  /** Approval settings: separation of duties and the approval bands. */
  settings: ["write"],
  mail: ["manage"],
  /** Tenant webhooks: endpoints, their secrets, the delivery log. */
  webhook: ["manage"],
} as const;

type Statement = typeof statement;
export type Resource = keyof Statement;
export type Permission = { [K in Resource]: `${K}:${Statement[K][number]}` }[Resource];
type Grants = { readonly [K in Resource]?: readonly Statement[K][number][] };

export const roleNames = ["admin", "verifier", "user"] as const;
export type Role = (typeof roleNames)[number];

/** The role table. A permission not listed is refused. */
export const grants = {
  admin: statement,
  // There is no accounting role: the approvers hand an invoice to accounts payable, so they (and
  // admins) also record that it was paid.
  verifier: {
    invoice: ["read", "create", "update", "delete", "submit", "verify", "approve", "markPaid"],
    supplier: ["read", "write"],
  },
  user: {
    invoice: ["read", "create", "update", "delete", "submit"],
    supplier: ["read"],
  },
} as const satisfies Record<Role, Grants>;

const listOf = (role: Role): Permission[] =>
  Object.entries(grants[role] as Grants).flatMap(([resource, actions]) =>
    (actions ?? []).map((action) => `${resource}:${action}` as Permission),
  );

const table: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(listOf("admin")),
  verifier: new Set(listOf("verifier")),
  user: new Set(listOf("user")),
};

/** `can("verifier", "invoice:approve")`: a table lookup; no role, no permission. */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? table[role].has(permission) : false;
}

/** Everything a role may do, as "noun:action" strings, in the statement's order. */
export function permissionsOf(role: Role | null | undefined): Permission[] {
  return role ? listOf(role) : [];
}
