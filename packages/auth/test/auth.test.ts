import { members, sessions, tenants } from "@remit/db";
import type { TestDatabase } from "@remit/db/testing";
import { openSuiteDatabase } from "@remit/db/testing/vitest";
import { eq } from "drizzle-orm";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Auth, can, createAuth } from "../src";
import { fastTestPasswordHasher } from "../src/testing";

const baseURL = "http://127.0.0.1:3999";
let handle: TestDatabase;
let auth: Auth;

beforeAll(async () => {
  handle = await openSuiteDatabase();
  auth = createAuth({
    db: handle.db,
    secret: "test-secret-that-is-long-enough-0123456789",
    baseURL,
    passwordHasher: fastTestPasswordHasher,
  });
});

afterAll(async () => {
  await handle?.close();
});

const email = (name: string) => `${name}-${crypto.randomUUID()}@example.test`;

async function signUp(name: string) {
  const account = { email: email(name), password: "correct horse battery" };
  await auth.api.signUpEmail({ body: { name, ...account } });
  const { headers, response } = await auth.api.signInEmail({ body: account, returnHeaders: true });
  const token = headers.get("set-auth-token");
  if (!token) throw new Error("no bearer token");
  return { user: response.user, bearer: new Headers({ authorization: `Bearer ${token}` }) };
}

describe("better-auth on Remit's schema", () => {
  it("signs up, reads the session back by bearer token, and refuses a bad token", async () => {
    const alice = await signUp("alice");
    const session = await auth.api.getSession({ headers: alice.bearer });
    expect(session?.user.id).toBe(alice.user.id);
    expect(session?.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const none = await auth.api.getSession({
      headers: new Headers({ authorization: "Bearer forged" }),
    });
    expect(none).toBeNull();
  });

  it("creates a tenant whose creator is its admin and whose status is active", async () => {
    const alice = await signUp("alice");
    const slug = `acme-${crypto.randomUUID().slice(0, 8)}`;
    const tenant = await auth.api.createOrganization({
      headers: alice.bearer,
      body: { name: "Acme", slug },
    });
    const [row] = await handle.db
      .select()
      .from(tenants)
      .where(eq(tenants.id, tenant?.id ?? ""));
    expect(row?.status).toBe("active");
    const [membership] = await handle.db
      .select()
      .from(members)
      .where(eq(members.organizationId, row?.id ?? ""));
    expect(membership).toMatchObject({ userId: alice.user.id, role: "admin" });
    const [session] = await handle.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, alice.user.id));
    expect(session?.activeOrganizationId).toBe(row?.id);
  });

  it("invites a verifier who accepts and becomes a member", async () => {
    const admin = await signUp("admin");
    const verifier = await signUp("verifier");
    const tenant = await auth.api.createOrganization({
      headers: admin.bearer,
      body: { name: "Beta", slug: `beta-${crypto.randomUUID().slice(0, 8)}` },
    });
    const invitation = await auth.api.createInvitation({
      headers: admin.bearer,
      body: { email: verifier.user.email, role: "verifier", organizationId: tenant?.id ?? "" },
    });
    await auth.api.acceptInvitation({
      headers: verifier.bearer,
      body: { invitationId: invitation.id },
    });
    const rows = await handle.db
      .select()
      .from(members)
      .where(eq(members.organizationId, tenant?.id ?? ""));
    expect(rows.map((m) => m.role).sort()).toEqual(["admin", "verifier"]);
  });

  it("issues a short-lived JWT with the tenant claim, verifiable against the JWKS", async () => {
    const alice = await signUp("alice");
    const tenant = await auth.api.createOrganization({
      headers: alice.bearer,
      body: { name: "Gamma", slug: `gamma-${crypto.randomUUID().slice(0, 8)}` },
    });
    const { token } = await auth.api.getToken({ headers: alice.bearer });
    const jwks = createLocalJWKSet(await auth.api.getJwks());
    const { payload } = await jwtVerify(token, jwks, { issuer: baseURL, audience: baseURL });
    expect(payload).toMatchObject({ sub: alice.user.id, tenant_id: tenant?.id, role: "admin" });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });
});

describe("sign-out", () => {
  it("ends the session: its bearer token no longer identifies anyone", async () => {
    const bob = await signUp("bob");
    expect(await auth.api.getSession({ headers: bob.bearer })).not.toBeNull();
    await auth.api.signOut({ headers: bob.bearer });
    expect(await auth.api.getSession({ headers: bob.bearer })).toBeNull();
  });
});

describe("permissions", () => {
  it("are declared once and differ by role", () => {
    expect(can("admin", "invoice:approve")).toBe(true);
    expect(can("verifier", "invoice:approve")).toBe(true);
    expect(can("user", "invoice:approve")).toBe(false);
    expect(can("user", "invoice:submit")).toBe(true);
    expect(can("verifier", "member:manage")).toBe(false);
    expect(can("admin", "audit:read")).toBe(true);
    expect(can("admin", "mail:manage")).toBe(true);
    expect(can("verifier", "mail:manage")).toBe(false);
    expect(can("user", "supplier:write")).toBe(false);
  });
});

describe("cookies", () => {
  it("are Secure when the public URL is https, and only then", async () => {
    const cookieOf = async (origin: string) => {
      const secured = createAuth({
        db: handle.db,
        secret: "test-secret-that-is-long-enough-0123456789",
        baseURL: origin,
      });
      const account = { email: email("cookie"), password: "correct horse battery" };
      await secured.api.signUpEmail({ body: { name: "Cookie", ...account } });
      const { headers } = await secured.api.signInEmail({ body: account, returnHeaders: true });
      return headers.get("set-cookie") ?? "";
    };
    const https = await cookieOf("https://remit.example");
    expect(https).toMatch(/session_token=/);
    expect(https).toMatch(/;\s*Secure/i);
    expect(await cookieOf(baseURL)).not.toMatch(/;\s*Secure/i);
  });

  it("a bare session token, without its signature, identifies nobody", async () => {
    const alice = await signUp("alice");
    const signed = alice.bearer.get("authorization")?.slice("Bearer ".length) ?? "";
    const bare = signed.split(".")[0] ?? "";
    const session = await auth.api.getSession({
      headers: new Headers({ authorization: `Bearer ${bare}` }),
    });
    expect(session).toBeNull();
  });
});
