import { type Permission, permissionsOf, roleNames, can as ruled, statement } from "@remit/rules";
import { describe, expect, it } from "vitest";
import { can } from "../src/permissions";

describe("better-auth's access control", () => {
  it("answers exactly as the role table in @remit/rules, for every role and permission", () => {
    const every = Object.entries(statement).flatMap(([resource, actions]) =>
      actions.map((action) => `${resource}:${action}` as Permission),
    );
    for (const role of roleNames) {
      for (const permission of every) {
        expect({ role, permission, allowed: can(role, permission) }).toEqual({
          role,
          permission,
          allowed: ruled(role, permission),
        });
      }
      expect(permissionsOf(role).every((p) => can(role, p))).toBe(true);
    }
  });
});
