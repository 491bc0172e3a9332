import { tenants, members } from "@remit/db";
import { eq } from "drizzle-orm";
import { createWorld, callerFor, signUp } from "./test/harness";
import { TRPCError } from "@trpc/server";

const w = await createWorld();
const base = "http://127.0.0.1:3999";
async function ba(person: { token: string } | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { origin: base };
  if (person) headers.authorization = `Bearer ${person.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await w.deps.auth.handler(new Request(`${base}/api/auth/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  const text = await res.text();
  return `${res.status} ${text.slice(0, 300)}`;
}
async function err(p: Promise<unknown>) {
  try { const r = await p; return `OK ${JSON.stringify(r).slice(0, 200)}`; } catch (e) { const t = e as TRPCError; return `${t.code}: ${t.message} | cause: ${String((t.cause as Error)?.message ?? "").slice(0,160)}`; }
}
const rnd = crypto.randomUUID();
console.log("--- NUL bytes");
const user = await callerFor(w.deps, w.a.user);
console.log("invoice.create", await err(user.invoice.create({ invoiceNumber: "a\u0000b", lineItems: [] })));
console.log("invoice.list q", await err(user.invoice.list({ q: "a\u0000b" })));
console.log("supplier.search", await err(user.supplier.search({ q: "a\u0000" })));
console.log("tenant.create", await err(user.tenant.create({ name: "x\u0000y", slug: `nul-${rnd.slice(0,6)}` })));
console.log("--- member list bypass (user role)");
console.log("list-members", await ba(w.a.user, "GET", "organization/list-members"));
console.log("tRPC member.list as user", await err((await callerFor(w.deps, w.a.user)).member.list()));
console.log("--- oracle: B admin, A tenant id vs random");
console.log("gfo A", await ba(w.b.admin, "GET", `organization/get-full-organization?organizationId=${w.tenantA}`));
console.log("gfo rnd", await ba(w.b.admin, "GET", `organization/get-full-organization?organizationId=${rnd}`));
// restore active after (get-full-org clears it)
await w.deps.auth.api.setActiveOrganization({ headers: w.b.admin.headers, body: { organizationId: w.tenantB } });
const [aMember] = await w.deps.db.select().from(members).where(eq(members.organizationId, w.tenantA));
console.log("umr A", await ba(w.b.admin, "POST", "organization/update-member-role", { memberId: aMember!.id, role: "user" }));
console.log("umr rnd", await ba(w.b.admin, "POST", "organization/update-member-role", { memberId: rnd, role: "user" }));
console.log("rm A admin", await ba(w.b.user, "POST", "organization/remove-member", { memberIdOrEmail: aMember!.id, organizationId: w.tenantB }));
console.log("rm rnd", await ba(w.b.user, "POST", "organization/remove-member", { memberIdOrEmail: rnd, organizationId: w.tenantB }));
console.log("--- escalation attempts by A user");
const [uMember] = await w.deps.db.select().from(members).where(eq(members.userId, w.a.user.userId));
console.log("umr self admin", await ba(w.a.user, "POST", "organization/update-member-role", { memberId: uMember!.id, role: "admin" }));
console.log("invite admin", await ba(w.a.user, "POST", "organization/invite-member", { email: "x@example.test", role: "admin" }));
console.log("org update", await ba(w.a.user, "POST", "organization/update", { data: { name: "pwn" } }));
console.log("verifier invite", await ba(w.a.verifier, "POST", "organization/invite-member", { email: "y@example.test", role: "user" }));
console.log("--- suspended tenant admin via /api/auth");
await w.deps.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, w.tenantB));
console.log("trpc member.list (B admin)", await err((await callerFor(w.deps, w.b.admin)).member.list()));
await w.deps.auth.api.setActiveOrganization({ headers: w.b.admin.headers, body: { organizationId: w.tenantB } });
console.log("invite while suspended", await ba(w.b.admin, "POST", "organization/invite-member", { email: "z@example.test", role: "admin", organizationId: w.tenantB }));
console.log("update status", await ba(w.b.admin, "POST", "organization/update", { organizationId: w.tenantB, data: { status: "active", name: "renamed" } }));
console.log("status now", (await w.deps.db.select().from(tenants).where(eq(tenants.id, w.tenantB)))[0]?.status);
console.log("org delete", await ba(w.b.admin, "POST", "organization/delete", { organizationId: w.tenantB }));
console.log("create w/ status", await ba(w.b.admin, "POST", "organization/create", { name: "n", slug: `st-${rnd.slice(0,6)}`, status: "suspended" }));
console.log("token", await ba(w.b.admin, "GET", "token"));
await w.close();
process.exit(0);
