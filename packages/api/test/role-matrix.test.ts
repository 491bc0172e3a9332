import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, everyone, expected, invoke, personFor, routerPaths } from "./cases";
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
    const input = await cases[path]?.prepare(world);
    const caller = await callerFor(world.deps, personFor(world, who));
    const got = await outcome(() => invoke(caller, path, input));
    await cases[path]?.after?.(world, who);
    expect(got).toBe(expected(path, who));
  });
});
