import { fastTestPasswordHasher } from "@remit/auth/testing";
import { invoices, members, sessions, tenantContextEvents, tenants } from "@remit/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiDeps } from "../src";
import { tenantAccessEnded } from "../src/tenant-context";
import {
  addMember,
  baseURL,
  callerFor,
  createWorld,
  memberId,
  outcome,
  type Person,
  signUp,
  type World,
} from "./harness";

/*
 * The tenant context of every request: validated against memberships, repaired where the
 * session has none, denied at once when the membership or the tenant is gone, recorded.
 */

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

async function newMemberOfA(role: "user" | "verifier" = "user"): Promise<Person> {
  const person = await signUp(world.deps, "ctx");
  await addMember(world.deps, world.tenantA, person, role);
  return person;
}

async function activeTenantOf(person: Person): Promise<string | null> {
  const rows = await world.handle.db
    .select()
    .from(sessions)
    .where(eq(sessions.userId, person.userId));
  return rows[0]?.activeOrganizationId ?? null;
}

async function outcomesOf(person: Person): Promise<string[]> {
  await world.deps.recorder.flush();
  const rows = await world.handle.db
    .select()
    .from(tenantContextEvents)
    .where(eq(tenantContextEvents.userId, person.userId));
  // As a sorted list: events of one batch can share a timestamp.
  return rows.map((r) => `${r.outcome}${r.reason ? `:${r.reason}` : ""}`).sort();
}

describe("a session", () => {
  it("with no active tenant is repaired to its membership, persisted, and recorded", async () => {
    const person = await newMemberOfA();
    await world.handle.db
      .update(sessions)
      .set({ activeOrganizationId: null })
      .where(eq(sessions.userId, person.userId));
    const caller = await callerFor(world.deps, person);
    expect((await caller.tenant.current()).id).toBe(world.tenantA);
    expect(await activeTenantOf(person)).toBe(world.tenantA);
    await (await callerFor(world.deps, person)).tenant.current();
    expect(await outcomesOf(person)).toEqual(["ok", "repaired"]);
  });

  it("of a user with no membership gets a clear FORBIDDEN 'no tenant'", async () => {
    const loner = await signUp(world.deps, "loner");
    const error = await (await callerFor(world.deps, loner)).invoice
      .list({})
      .catch((e: Error) => e);
    expect(error).toMatchObject({
      code: "FORBIDDEN",
      message: "no tenant: you are not a member of any active tenant",
    });
    expect(await outcomesOf(loner)).toEqual(["repair_failed:no_membership"]);
  });

  it("is denied on the very next request after its member is removed, even behind better-auth's back", async () => {
    const person = await newMemberOfA();
    const caller = await callerFor(world.deps, person);
    expect(await outcome(() => caller.invoice.list({}))).toBe("OK");
    // Removed directly in the table: no better-auth hook runs, the session still names tenant A.
    await world.handle.db
      .delete(members)
      .where(and(eq(members.userId, person.userId), eq(members.organizationId, world.tenantA)));
    expect(await activeTenantOf(person)).toBe(world.tenantA);
    expect(await outcome(() => caller.invoice.list({}))).toBe("FORBIDDEN");
    // The stale tenant is replaced by "access ended": no silent repair follows.
    expect(await activeTenantOf(person)).toBe(tenantAccessEnded);
    expect(await outcome(async () => (await callerFor(world.deps, person)).invoice.list({}))).toBe(
      "FORBIDDEN",
    );
    expect(await outcomesOf(person)).toEqual([
      "denied:membership_gone",
      "ok",
      "repair_failed:tenant_access_ended",
    ]);
  });

  it("is denied after an admin removes the member through member.remove", async () => {
    const person = await newMemberOfA();
    const admin = await callerFor(world.deps, world.a.admin);
    await admin.member.remove({
      memberId: await memberId(world.deps, world.tenantA, person.userId),
    });
    // The removal hook marked the session at once, before any request of the removed user.
    expect(await activeTenantOf(person)).toBe(tenantAccessEnded);
    expect(await outcome(async () => (await callerFor(world.deps, person)).invoice.list({}))).toBe(
      "FORBIDDEN",
    );
  });

  it("never lets a retried write follow the user into another tenant after a removal", async () => {
    const person = await newMemberOfA();
    await world.deps.auth.api.addMember({
      body: { userId: person.userId, role: "user", organizationId: world.tenantB },
    });
    await world.handle.db
      .delete(members)
      .where(and(eq(members.userId, person.userId), eq(members.organizationId, world.tenantA)));
    const tag = `retry-${crypto.randomUUID().slice(0, 6)}`;
    const write = async () =>
      outcome(async () =>
        (await callerFor(world.deps, person)).invoice.create({ invoiceNumber: tag, lineItems: [] }),
      );
    expect(await write()).toBe("FORBIDDEN");
    const retry = await (await callerFor(world.deps, person)).invoice
      .create({ invoiceNumber: tag, lineItems: [] })
      .catch((e: Error) => e);
    expect(retry).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/choose one with tenant.switch/),
    });
    // An explicit choice, then the write lands where the user chose.
    await (await callerFor(world.deps, person)).tenant.switch({ tenantId: world.tenantB });
    expect(await write()).toBe("OK");
    const inB = await world.handle.db
      .select()
      .from(invoices)
      .where(eq(invoices.invoiceNumber, tag));
    expect(inB.map((i) => i.tenantId)).toEqual([world.tenantB]);
  });

  it("switches tenant on the next request, and never shows the old tenant's rows after", async () => {
    const person = await newMemberOfA("verifier");
    await world.deps.auth.api.addMember({
      body: { userId: person.userId, role: "user", organizationId: world.tenantB },
    });
    const inA = await callerFor(world.deps, person);
    const tag = `switch-${crypto.randomUUID().slice(0, 6)}`;
    await inA.invoice.create({ invoiceNumber: `${tag}-A`, lineItems: [] });
    await inA.tenant.switch({ tenantId: world.tenantB });
    const inB = await callerFor(world.deps, person);
    expect(await inB.tenant.current()).toMatchObject({ id: world.tenantB, role: "user" });
    expect((await inB.invoice.list({ q: tag })).items).toEqual([]);
  });

  it("is denied while its tenant is suspended", async () => {
    const person = await signUp(world.deps, "suspended");
    const tenant = await world.deps.auth.api.createOrganization({
      headers: person.headers,
      body: { name: "Soon suspended", slug: `susp-${crypto.randomUUID().slice(0, 8)}` },
    });
    const id = tenant?.id ?? "";
    await world.handle.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, id));
    const error = await (await callerFor(world.deps, person)).invoice
      .list({})
      .catch((e: Error) => e);
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "this tenant is suspended" });
    expect(await outcomesOf(person)).toEqual(["denied:tenant_suspended"]);
  });
});

describe("a JWT", () => {
  async function tokenOf(person: Person): Promise<Person> {
    const { token } = await world.deps.auth.api.getToken({ headers: person.headers });
    return { ...person, token, headers: new Headers({ authorization: `Bearer ${token}` }) };
  }

  it("acts in the tenant it was minted for, and keeps it after the session switches", async () => {
    const person = await newMemberOfA();
    await world.deps.auth.api.addMember({
      body: { userId: person.userId, role: "user", organizationId: world.tenantB },
    });
    const token = await tokenOf(person);
    await (await callerFor(world.deps, person)).tenant.switch({ tenantId: world.tenantB });
    expect((await (await callerFor(world.deps, token)).tenant.current()).id).toBe(world.tenantA);
    expect((await (await callerFor(world.deps, person)).tenant.current()).id).toBe(world.tenantB);
    // A token minted after the switch carries the new tenant.
    const fresh = await tokenOf(person);
    expect((await (await callerFor(world.deps, fresh)).tenant.current()).id).toBe(world.tenantB);
  });

  it("is denied for its tenant at once after the member is removed", async () => {
    const person = await newMemberOfA();
    const token = await tokenOf(person);
    expect(await outcome(async () => (await callerFor(world.deps, token)).invoice.list({}))).toBe(
      "OK",
    );
    await world.handle.db.delete(members).where(eq(members.userId, person.userId));
    expect(await outcome(async () => (await callerFor(world.deps, token)).invoice.list({}))).toBe(
      "FORBIDDEN",
    );
  });

  it("is not honoured past its expiry (300 s by default; 3 s here)", async () => {
    const shortLived = createApiDeps({
      db: world.handle.db,
      store: world.deps.store,
      secret: "test-secret-that-is-long-enough-0123456789",
      baseURL,
      fileLinks: world.deps.fileLinks,
      // exp is whole seconds from iat, so a 1 s token can be expired by the time it is used.
      jwtExpirySeconds: 3,
      passwordHasher: fastTestPasswordHasher,
    });
    const person = await signUp(shortLived, "expiring");
    await addMember(shortLived, world.tenantA, person, "user");
    const { token } = await shortLived.auth.api.getToken({ headers: person.headers });
    const holder = { ...person, headers: new Headers({ authorization: `Bearer ${token}` }) };
    expect(await outcome(async () => (await callerFor(shortLived, holder)).invoice.list({}))).toBe(
      "OK",
    );
    // 4.1 s later by the clock the token is checked against. Only Date is faked: the database
    // and every timer run as they do.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 4100 });
    try {
      expect(
        await outcome(async () => (await callerFor(shortLived, holder)).invoice.list({})),
      ).toBe("UNAUTHORIZED");
    } finally {
      vi.useRealTimers();
    }
  });

  it("that is forged or tampered with is not a caller at all", async () => {
    const person = await newMemberOfA();
    const { token } = await tokenOf(person);
    const [h, p, s] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, tenant_id: world.tenantB })).toString("base64url")}.${s}`;
    const holder = { ...person, headers: new Headers({ authorization: `Bearer ${forged}` }) };
    expect(await outcome(async () => (await callerFor(world.deps, holder)).invoice.list({}))).toBe(
      "UNAUTHORIZED",
    );
  });
});

describe("the recorder", () => {
  it("keeps an event whose tenant no longer exists, without the tenant, and drops nothing", async () => {
    const userId = crypto.randomUUID();
    world.deps.recorder.record({
      tenantId: crypto.randomUUID(),
      userId,
      outcome: "denied",
      reason: "membership_gone",
    });
    world.deps.recorder.record({ tenantId: world.tenantA, userId, outcome: "ok", reason: null });
    expect(await world.deps.recorder.flush()).toBeGreaterThanOrEqual(2);
    const rows = await world.handle.db
      .select()
      .from(tenantContextEvents)
      .where(eq(tenantContextEvents.userId, userId));
    expect(rows.map((r) => [r.outcome, r.tenantId]).sort()).toEqual([
      ["denied", null],
      ["ok", world.tenantA],
    ]);
    expect(world.deps.recorder.dropped).toBe(0);
  });
});
