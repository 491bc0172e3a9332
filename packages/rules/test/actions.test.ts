import { describe, expect, it } from "vitest";
import { allowedActions, can, permissionsOf, transitionBetween } from "../src";

const me = "00000000-0000-4000-8000-000000000001";
const other = "00000000-0000-4000-8000-000000000002";
const caller = (role: "admin" | "verifier" | "user", separationOfDuties = true) => ({
  userId: me,
  role,
  separationOfDuties,
});

describe("the role table", () => {
  it("differs by role", () => {
    expect(can("verifier", "invoice:approve")).toBe(true);
    expect(can("user", "invoice:approve")).toBe(false);
    expect(can("user", "supplier:write")).toBe(false);
    expect(can(undefined, "invoice:read")).toBe(false);
    expect(permissionsOf("user")).toEqual([
      "invoice:read",
      "invoice:create",
      "invoice:update",
      "invoice:delete",
      "invoice:submit",
      "supplier:read",
    ]);
  });
});

describe("the lifecycle", () => {
  it("names the step between two statuses, and none where there is no edge", () => {
    expect(transitionBetween("draft", "pending_verification")).toBe("submit");
    expect(transitionBetween("verified", "draft")).toBe("reject");
    expect(transitionBetween("draft", "verified")).toBeNull();
    expect(transitionBetween("approved_to_ap", "draft")).toBeNull();
  });
});

describe("allowedActions", () => {
  it("follows the status and the role", () => {
    expect(allowedActions({ status: "draft" }, caller("user")).actions).toEqual([
      "submit",
      "update",
      "delete",
    ]);
    expect(allowedActions({ status: "pending_verification" }, caller("user")).actions).toEqual([
      "update",
    ]);
    expect(allowedActions({ status: "verified" }, caller("verifier")).actions).toEqual([
      "approve",
      "reject",
      "update",
    ]);
    // Approved: only the hand-off to accounting is left (drizzle/0015); paid is final.
    expect(allowedActions({ status: "approved_to_ap" }, caller("admin")).actions).toEqual([
      "markPaid",
    ]);
    expect(allowedActions({ status: "approved_to_ap" }, caller("user")).actions).toEqual([]);
    expect(allowedActions({ status: "paid" }, caller("admin")).actions).toEqual([]);
  });

  it("leaves the next step to someone else under separation of duties, unless relaxed", () => {
    const submitted = { status: "pending_verification" as const, submittedBy: me };
    expect(allowedActions(submitted, caller("verifier"))).toEqual({
      actions: ["reject", "update"],
      waitingOnOthers: ["verify"],
    });
    expect(allowedActions(submitted, caller("verifier", false)).actions).toContain("verify");

    const verified = { status: "verified" as const, submittedBy: other, verifiedBy: me };
    expect(allowedActions(verified, caller("admin")).waitingOnOthers).toEqual(["approve"]);
    const approvedOnce = { ...verified, verifiedBy: other, approvers: [me] };
    expect(allowedActions(approvedOnce, caller("admin")).waitingOnOthers).toEqual(["approve"]);
    expect(
      allowedActions({ ...approvedOnce, approvers: [other] }, caller("admin")).actions,
    ).toContain("approve");
  });
});
