import { sessions, tenants } from "@remit/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { VerifiedSessions } from "../src/auth/verified-sessions";
import {
  addMember,
  callerFor,
  createWorld,
  outcome,
  type Person,
  signUp,
  type World,
} from "./harness";

/*
 * A credential better-auth verified is reused for a few seconds (auth/verified-sessions.ts), but
 * the session row and the membership are still read on every call: signing out, revoking a
 * session and removing a member all take effect on the very next call, cached or not.
 */

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

async function newMemberOfA(): Promise<Person> {
  const person = await signUp(world.deps, "cache");
  await addMember(world.deps, world.tenantA, person, "user");
  return person;
}

const current = (person: Person) =>
  outcome(async () => (await callerFor(world.deps, person)).tenant.current());

describe("verified sessions", () => {
  it("verifies a credential with better-auth once, then reuses it", async () => {
    const person = await newMemberOfA();
    const getSession = vi.spyOn(world.deps.auth.api, "getSession");
    try {
      expect(await current(person)).toBe("OK");
      expect(await current(person)).toBe("OK");
      expect(await current(person)).toBe("OK");
      expect(getSession).toHaveBeenCalledTimes(1);
    } finally {
      getSession.mockRestore();
    }
  });

  it("a signed-out session stops working on the next call", async () => {
    const person = await newMemberOfA();
    expect(await current(person)).toBe("OK");
    await world.deps.auth.api.signOut({ headers: person.headers });
    expect(await current(person)).toBe("UNAUTHORIZED");
  });

  it("a revoked session (its row deleted) stops working on the next call", async () => {
    const person = await newMemberOfA();
    expect(await current(person)).toBe("OK");
    await world.handle.db.delete(sessions).where(eq(sessions.userId, person.userId));
    expect(await current(person)).toBe("UNAUTHORIZED");
  });

  it("an expired session stops working on the next call", async () => {
    const person = await newMemberOfA();
    expect(await current(person)).toBe("OK");
    await world.handle.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, person.userId));
    expect(await current(person)).toBe("UNAUTHORIZED");
  });

  it("a removed member is denied on the next call", async () => {
    const person = await newMemberOfA();
    expect(await current(person)).toBe("OK");
    await world.deps.auth.api.removeMember({
      headers: world.a.admin.headers,
      body: {
        memberIdOrEmail: person.email,
        organizationId: world.tenantA,
      },
    });
    expect(await current(person)).toBe("FORBIDDEN");
  });

  it("a suspended tenant is denied on the next call", async () => {
    const person = await signUp(world.deps, "cache-suspended");
    const tenant = await world.deps.auth.api.createOrganization({
      headers: person.headers,
      body: { name: "Suspended soon", slug: `suspended-${crypto.randomUUID().slice(0, 8)}` },
    });
    expect(await current(person)).toBe("OK");
    await world.handle.db
      .update(tenants)
      .set({ status: "suspended" })
      .where(eq(tenants.id, tenant?.id ?? ""));
    expect(await current(person)).toBe("FORBIDDEN");
  });

  it("a switch of tenant is seen on the next call", async () => {
    const person = await newMemberOfA();
    await addMember(world.deps, world.tenantB, person, "user");
    const caller = async () => (await callerFor(world.deps, person)).tenant.current();
    expect((await caller()).id).toBe(world.tenantB);
    await (await callerFor(world.deps, person)).tenant.switch({ tenantId: world.tenantA });
    expect((await caller()).id).toBe(world.tenantA);
  });
});

describe("the verified-session cache itself", () => {
  it("forgets an entry after its time and the oldest past its size", () => {
    let now = 0;
    const cache = new VerifiedSessions({ freshForMs: 100, maxEntries: 2 }, () => now);
    cache.remember("a", { userId: "u", sessionId: "s1" });
    cache.remember("b", { userId: "u", sessionId: "s2" });
    cache.remember("c", { userId: "u", sessionId: "s3" });
    expect(cache.size).toBe(2);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")?.sessionId).toBe("s2");
    now = 100;
    expect(cache.get("c")).toBeUndefined();
  });

  it("keys by the whole credential and ignores requests without one", () => {
    const cache = new VerifiedSessions();
    expect(cache.keyOf(new Headers())).toBeNull();
    const one = cache.keyOf(new Headers({ authorization: "Bearer x.y" }));
    const other = cache.keyOf(new Headers({ authorization: "Bearer x.z" }));
    expect(one).not.toBe(other);
    expect(cache.keyOf(new Headers({ authorization: `Bearer ${"x".repeat(5000)}` }))).toBeNull();
  });
});
