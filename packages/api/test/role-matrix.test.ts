import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cases,
  draft,
  everyone,
  expected,
  helpersOf,
  invoke,
  personFor,
  routerPaths,
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
