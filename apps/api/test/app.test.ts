import { createRemitClient, signUp, TRPCClientError } from "@remit/client";
import type { TestDatabase } from "@remit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../src/env";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * The real server over HTTP, through the typed client a Node app would use: sign up, create a
 * tenant, invite, accept, switch, CRUD, approve and lock. No handler is called directly.
 */

let live: LiveServer;
let handle: TestDatabase;
let url: string;
let _objectsRoot: string;

beforeAll(async () => {
  live = await startLiveServer({ trustedOrigins: ["http://localhost:5173"] });
  handle = live.handle;
  url = live.url;
  _objectsRoot = live.objectsRoot;
});

afterAll(async () => {
  await live?.close();
});

const email = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`;
const password = "correct horse battery";

describe("over HTTP", () => {
  it("answers liveness and readiness against the real database", async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({
      status: "ready",
      database: handle.kind,
      tenantContext: { window: "5m" },
    });
  });

  it("runs sign-up → tenant → invite → accept → switch → CRUD → approve → lock through the typed client", async () => {
    const adminEmail = email("admin");
    const adminToken = await signUp(url, { name: "Ada Admin", email: adminEmail, password });
    const admin = createRemitClient({ url, token: adminToken });
    const tenant = await admin.tenant.create.mutate({
      name: "Acme AP",
      slug: `acme-${crypto.randomUUID().slice(0, 8)}`,
    });
    expect(await admin.tenant.current.query()).toMatchObject({ id: tenant.id, role: "admin" });

    // Invite a verifier, who signs up and accepts through better-auth's own endpoint.
    const verifierEmail = email("verifier");
    const invitation = await admin.member.invite.mutate({ email: verifierEmail, role: "verifier" });
    const verifierToken = await signUp(url, {
      name: "Vera Verifier",
      email: verifierEmail,
      password,
    });
    const accepted = await fetch(`${url}/api/auth/organization/accept-invitation`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${verifierToken}` },
      body: JSON.stringify({ invitationId: invitation.id }),
    });
    expect(accepted.status).toBe(200);
    const verifier = createRemitClient({ url, token: verifierToken });
    await verifier.tenant.switch.mutate({ tenantId: tenant.id });
    expect(await verifier.tenant.current.query()).toMatchObject({
      id: tenant.id,
      role: "verifier",
    });

    const supplier = await admin.supplier.create.mutate({ name: "HTTP Supplies" });
    const invoice = await admin.invoice.create.mutate({
      supplierId: supplier?.id,
      invoiceNumber: "HTTP-1",
      currency: "EUR",
      subtotal: "100.00",
      taxAmount: "19.00",
      total: "119.00",
      lineItems: [{ description: "Consulting", amount: "100.00" }],
    });
    await admin.invoice.update.mutate({ id: invoice.id, data: { invoiceDate: "2026-11-20" } });
    await admin.invoice.submit.mutate({ id: invoice.id });
    await verifier.invoice.verify.mutate({ id: invoice.id });
    // Two people, and separation of duties on: whoever verified may not also approve, nor may
    // the submitter. This two-person company relaxes the rule (admin only), then approves.
    const refused = await verifier.invoice.approve.mutate({ id: invoice.id }).catch((e) => e);
    expect((refused as TRPCClientError<never>).message).toMatch(/^separation of duties: /);
    await admin.settings.setSeparationOfDuties.mutate({ enabled: false });
    const approved = await verifier.invoice.approve.mutate({ id: invoice.id });
    expect(approved).toMatchObject({
      status: "approved_to_ap",
      isLocked: true,
      total: "119.00",
      dutiesRelaxed: true,
    });
    expect(approved.approvedAt).toBeInstanceOf(Date); // superjson keeps dates as dates

    const locked = await admin.invoice.update
      .mutate({ id: invoice.id, data: { total: "1.00" } })
      .catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(TRPCClientError);
    expect((locked as TRPCClientError<never>).message).toBe(
      "the invoice is approved and locked; it can no longer change",
    );

    const page = await admin.invoice.list.query({ status: "approved_to_ap" });
    expect(page.items.map((i) => i.id)).toEqual([invoice.id]);
  });

  it("returns flattened validation errors and never a stack trace or SQL", async () => {
    const token = await signUp(url, { name: "Val", email: email("val"), password });
    const client = createRemitClient({ url, token });
    await client.tenant.create.mutate({
      name: "Validation",
      slug: `val-${crypto.randomUUID().slice(0, 8)}`,
    });
    const raw = await fetch(`${url}/api/trpc/invoice.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: { total: "1.234", lineItems: [] } }),
    });
    expect(raw.status).toBe(400);
    const text = await raw.text();
    const body = JSON.parse(text) as {
      error: { json: { message: string; data: Record<string, unknown> } };
    };
    expect(body.error.json.data.zodError).toMatchObject({
      fieldErrors: { total: [expect.stringMatching(/at most 2 decimals/)] },
    });
    expect(text).not.toMatch(/stack|select |insert |at [A-Za-z]+ \(/i);
    const unknown = await fetch(
      `${url}/api/trpc/invoice.get?input=${encodeURIComponent(JSON.stringify({ json: { id: crypto.randomUUID() } }))}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toMatch(/stack|select /i);
  });

  it("exposes only the better-auth endpoints a client needs; tenant management is tRPC's", async () => {
    const token = await signUp(url, { name: "Nosy", email: email("nosy"), password });
    const headers = { authorization: `Bearer ${token}` };
    for (const path of [
      "organization/list-members",
      "organization/get-full-organization",
      "organization/update",
      "organization/invite-member",
      "organization/create",
    ]) {
      expect((await fetch(`${url}/api/auth/${path}`, { headers })).status, path).toBe(404);
    }
    expect((await fetch(`${url}/api/auth/get-session`, { headers })).status).toBe(200);
  });

  it("answers anonymous callers 401 and lets only trusted browser origins in", async () => {
    const anonymous = await fetch(
      `${url}/api/trpc/invoice.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`,
    );
    expect(anonymous.status).toBe(401);
    const trusted = await fetch(`${url}/api/trpc/health.liveness`, {
      headers: { origin: "http://localhost:5173" },
    });
    expect(trusted.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(trusted.headers.get("access-control-allow-credentials")).toBe("true");
    expect(trusted.headers.get("access-control-expose-headers")).toContain("x-request-id");
    expect(trusted.headers.get("vary")).toContain("Origin");
    // The request id and the security headers reach a tRPC answer as every other.
    expect(trusted.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
    expect(trusted.headers.get("x-content-type-options")).toBe("nosniff");
    const trustedPreflight = await fetch(`${url}/api/trpc/invoice.list`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(trustedPreflight.status).toBe(204);
    expect(trustedPreflight.headers.get("access-control-allow-origin")).toBe(
      "http://localhost:5173",
    );
    expect(trustedPreflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(trustedPreflight.headers.get("access-control-allow-headers")).toContain("authorization");
    // A browser on another origin gets no CORS grant, so it can neither send credentials nor
    // read an answer.
    const preflight = await fetch(`${url}/api/trpc/invoice.list`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

it("refuses a malformed configuration with a message that names the setting", () => {
  expect(() => parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x" })).toThrow(
    /PORT: .*\n.*DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL/,
  );
  expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
    /BETTER_AUTH_SECRET is required in production/,
  );
  expect(parseEnv({ DATABASE_URL: "" })).toMatchObject({ PORT: 3000, DATABASE_URL: undefined });
});
