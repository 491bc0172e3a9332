import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fastTestPasswordHasher } from "@remit/auth/testing";
import { type MemberRole, members } from "@remit/db";
import type { TestDatabase } from "@remit/db/testing";
import { openSuiteDatabase } from "@remit/db/testing/vitest";
import { localStore } from "@remit/storage";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { type ApiConfig, type ApiDeps, createApiDeps, createCaller, createContext } from "../src";

/*
 * A real database, real better-auth, real sessions: callers are made exactly as the HTTP layer
 * makes them, from request headers. Nothing is mocked. On PGlite the API reaches the database
 * as it does a PostgreSQL server in production: through postgres.js and the pipelined tenant
 * runner (the embedded path is the database package's and the server app's tests). Passwords
 * are hashed cheaply: the suite signs up hundreds of people.
 */

export const baseURL = "http://127.0.0.1:3999";
export const secret = "test-secret-that-is-long-enough-0123456789";
export const filesSecret = "test-files-secret-0123456789abcdef";
export const workerSecret = "test-worker-secret-0123456789abcdef";
/** The domain of inbound mail addresses in tests. */
export const mailDomain = "in.remit.test";

/** A local object store in a fresh temporary folder. */
export function testStore() {
  return localStore({ root: mkdtempSync(join(tmpdir(), "remit-objects-")) });
}

export interface Person {
  userId: string;
  email: string;
  headers: Headers;
  token: string;
}

export interface World {
  handle: TestDatabase;
  deps: ApiDeps;
  tenantA: string;
  tenantB: string;
  a: Record<MemberRole, Person>;
  b: Record<MemberRole, Person>;
  close(): Promise<void>;
}

let counter = 0;

export async function signUp(deps: ApiDeps, name: string): Promise<Person> {
  const email = `${name}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const password = "correct horse battery";
  await deps.auth.api.signUpEmail({ body: { name, email, password } });
  const { headers, response } = await deps.auth.api.signInEmail({
    body: { email, password },
    returnHeaders: true,
  });
  const token = headers.get("set-auth-token");
  if (!token) throw new Error("no bearer token from sign-in");
  return {
    userId: response.user.id,
    email,
    token,
    headers: new Headers({ authorization: `Bearer ${token}` }),
  };
}

export async function callerFor(deps: ApiDeps, person: Person | null) {
  const ctx = await createContext(deps, {
    headers: person?.headers ?? new Headers(),
    requestId: crypto.randomUUID(),
    ip: "127.0.0.1",
  });
  return createCaller(ctx);
}

/** A tenant whose admin created it, with a verifier and a user added. */
async function seedTenant(deps: ApiDeps, label: string) {
  const admin = await signUp(deps, `${label}-admin`);
  const tenant = await deps.auth.api.createOrganization({
    headers: admin.headers,
    body: { name: `Tenant ${label}`, slug: `${label}-${crypto.randomUUID().slice(0, 8)}` },
  });
  if (!tenant) throw new Error("tenant not created");
  const people: Record<MemberRole, Person> = { admin, verifier: admin, user: admin };
  for (const role of ["verifier", "user"] as const) {
    const person = await signUp(deps, `${label}-${role}`);
    await addMember(deps, tenant.id, person, role);
    people[role] = person;
  }
  return { tenantId: tenant.id, people };
}

/** Adds a member and makes the tenant active on their session (as accepting an invite does). */
export async function addMember(deps: ApiDeps, tenantId: string, person: Person, role: MemberRole) {
  await deps.auth.api.addMember({
    body: { userId: person.userId, role, organizationId: tenantId },
  });
  await deps.auth.api.setActiveOrganization({
    headers: person.headers,
    body: { organizationId: tenantId },
  });
}

/** Two seeded tenants on a fresh database; `config` adds settings (an operator secret, a webhook). */
export async function createWorld(config: Partial<ApiConfig> = {}): Promise<World> {
  const handle = await openSuiteDatabase({ driver: "postgres.js" });
  const deps = createApiDeps({
    passwordHasher: fastTestPasswordHasher,
    mailDomain: mailDomain,
    // Test mail servers listen on 127.0.0.1 only: the operator's allowance for private hosts.
    imap: { allowPrivateHosts: true },
    ...config,
    db: handle.db,
    store: testStore(),
    secret,
    baseURL,
    workerSecret,
    fileLinks: { secret: filesSecret, downloadUrl: `${baseURL}/api/files` },
    notifications: handle.notifications,
  });
  const a = await seedTenant(deps, "a");
  const b = await seedTenant(deps, "b");
  return {
    handle,
    deps,
    tenantA: a.tenantId,
    tenantB: b.tenantId,
    a: a.people,
    b: b.people,
    async close() {
      await deps.recorder.flush();
      await deps.monitor.flush();
      await handle.close();
    },
  };
}

/** A caller presenting a machine credential (the worker's secret, or a job token). */
export async function serviceCaller(deps: ApiDeps, bearer: string) {
  const ctx = await createContext(deps, {
    headers: new Headers({ authorization: `Bearer ${bearer}` }),
    requestId: crypto.randomUUID(),
    ip: "127.0.0.1",
  });
  return createCaller(ctx);
}

/** The TRPC error code a call failed with, or "OK". */
export async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** Like outcome, with the error's sentence: "FORBIDDEN: you approved it already", or "OK". */
export async function outcomeWithMessage(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

export async function memberId(deps: ApiDeps, tenantId: string, userId: string): Promise<string> {
  const rows = await deps.db.select().from(members).where(eq(members.userId, userId));
  const row = rows.find((m) => m.organizationId === tenantId);
  if (!row) throw new Error("no such member");
  return row.id;
}
