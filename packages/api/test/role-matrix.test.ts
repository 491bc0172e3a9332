import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approved,
  cases,
  draft,
  everyone,
  expected,
  helpersOf,
  invoke,
  pending,
  personFor,
  routerPaths,
  verified,
} from "./cases";
import { callerFor, createWorld, outcome, type World } from "./harness";

/* Every procedure × {admin, verifier, user, member of another tenant, anonymous}. */

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

it("has a case for every procedure of the router", () => {
  expect(Object.keys(cases).sort()).toEqual(routerPaths());
});

describe.each(routerPaths())("%s", (path) => {
  it.each(everyone)("as %s", async (who) => {
    const input = await cases[path]?.prepare(world, who);
    const caller = await callerFor(world.deps, personFor(world, who));
    const got = await outcome(() => invoke(caller, path, input));
    await cases[path]?.after?.(world, who);
    expect(got).toBe(expected(path, who));
  });
});

/*
 * Separation of duties across the roles allowed to verify and approve (drizzle/0009): the
 * permission is there, the step is still refused when the same person took the earlier one.
 * Fixtures as in cases.ts: the clerk submits and the checker verifies unless the row says who.
 */
describe("separation of duties", () => {
  const steps = [
    ["admin", "submits, then verifies", "FORBIDDEN"],
    ["verifier", "submits, then verifies", "FORBIDDEN"],
    ["admin", "verifies, then approves", "FORBIDDEN"],
    ["verifier", "verifies, then approves", "FORBIDDEN"],
    ["admin", "submits, then approves", "FORBIDDEN"],
    ["verifier", "submits, then approves", "FORBIDDEN"],
    ["admin", "approves another's verified invoice", "OK"],
    ["verifier", "approves another's verified invoice", "OK"],
  ] as const;
  it.each(steps)("%s %s: %s", async (role, step, want) => {
    const person = world.a[role];
    const caller = await callerFor(world.deps, person);
    const { clerk, checker } = await helpersOf(world);
    const inv = await draft(world);
    const submitter = step.startsWith("submits") ? person : clerk;
    await (await callerFor(world.deps, submitter)).invoice.submit({ id: inv.id });
    if (step === "submits, then verifies") {
      expect(await outcome(() => caller.invoice.verify({ id: inv.id }))).toBe(want);
      return;
    }
    const verifier = step.startsWith("verifies") ? person : checker;
    await (await callerFor(world.deps, verifier)).invoice.verify({ id: inv.id });
    expect(await outcome(() => caller.invoice.approve({ id: inv.id }))).toBe(want);
  });
});

/*
 * Whose queue an invoice is in (invoice.waiting), per role: the step's permission decides, for
 * invoices the clerk submitted and the checker verified. Markings paid are the approvers'.
 */
describe("waiting for me", () => {
  const rows = [
    ["pending", "admin", true],
    ["pending", "verifier", true],
    ["pending", "user", false],
    ["verified", "admin", true],
    ["verified", "verifier", true],
    ["verified", "user", false],
    ["approved", "admin", false],
    ["approved", "verifier", false],
    ["approved", "user", false],
  ] as const;
  const make = { pending, verified, approved };
  it.each(rows)("a %s invoice waits for the %s: %s", async (state, role, want) => {
    const inv = await make[state](world);
    const caller = await callerFor(world.deps, world.a[role]);
    const ids = (await caller.invoice.waiting({ limit: 100 })).items.map((i) => i.id);
    expect(ids.includes(inv.id)).toBe(want);
    const { count } = await caller.invoice.waitingCount();
    expect(count).toBeGreaterThanOrEqual(want ? 1 : 0);
  });
});
