import { createHmac } from "node:crypto";
import {
  invoices,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  withTenant,
} from "@remit/db";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DispatcherSettings, WebhookDispatcher } from "../src/webhooks/dispatcher";
import { postWebhook } from "../src/webhooks/webhook-post";
import { webhookTask } from "../src/webhooks/webhook-task";
import { draft, helpersOf } from "./cases";
import { callerFor, createWorld, outcome, type Person, type World } from "./harness";
import { type Receiver, startReceiver } from "./webhook-receiver";

/*
 * Tenant webhooks end to end ([5/7] 7(b)): real invoices moved through the procedures on a real
 * database, the outbox written by the database's trigger, the dispatcher POSTing to a real HTTP
 * receiver on 127.0.0.1 (the operator flag for private targets is on here), signatures checked
 * the way docs/webhooks.md tells a receiver to. Time is a clock the test moves: no sleeps.
 */

let world: World;
let receiver: Receiver;
/** Milliseconds the test clock is ahead of the wall clock. */
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);
const advance = (seconds: number) => {
  ahead += seconds * 1000;
};

beforeAll(async () => {
  world = await createWorld({ webhooks: { allowPrivate: true, allowHttp: true } });
  receiver = await startReceiver();
});

/*
 * Each test starts with no endpoint in either tenant, so no other test's events reach it, and the
 * file leaves none behind: on a shared PostgreSQL database (CI's second pass), a dispatcher of a
 * later run claims across every tenant.
 */
async function removeEndpoints() {
  for (const tenantId of [world.tenantA, world.tenantB]) {
    await withTenant(
      world.deps.db,
      { tenantId, userId: adminOf(tenantId).userId, role: "admin" },
      (tx) => tx.delete(webhookEndpoints),
    );
  }
}

afterAll(async () => {
  if (world) await removeEndpoints();
  await receiver?.close();
  await world?.close();
});

beforeEach(async () => {
  receiver.received.length = 0;
  receiver.answer(200);
  await removeEndpoints();
});

function adminOf(tenantId: string): Person {
  return tenantId === world.tenantA ? world.a.admin : world.b.admin;
}

function dispatcher(settings: Partial<DispatcherSettings> = {}) {
  return new WebhookDispatcher(world.deps.db, {
    secretKey: world.deps.webhooks.secretKey,
    policy: world.deps.webhooks.policy,
    maxAttempts: 4,
    backoff: { baseSeconds: 30, maxSeconds: 3600 },
    timeoutMs: 5000,
    batchSize: 10,
    now: clock,
    random: () => 1,
    ...settings,
  });
}

const as = (person: Person) => callerFor(world.deps, person);

async function register(
  person: Person,
  path: string,
  events: Array<"invoice.submitted" | "invoice.approved" | "invoice.rejected" | "invoice.paid">,
) {
  return (await as(person)).webhook.create({ url: receiver.url(path), events });
}

/** What a receiver does (docs/webhooks.md): recompute the signature over "<timestamp>.<body>". */
function verifies(secret: string, r: { headers: Record<string, unknown>; body: string }) {
  const timestamp = String(r.headers["remit-webhook-timestamp"]);
  const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${r.body}`).digest("hex")}`;
  return r.headers["remit-webhook-signature"] === expected;
}

async function deliveryRows(tenantId: string) {
  return withTenant(
    world.deps.db,
    { tenantId, userId: adminOf(tenantId).userId, role: "admin" },
    (tx) => tx.select().from(webhookDeliveries).orderBy(webhookDeliveries.createdAt),
  );
}

describe("events from the invoice lifecycle", () => {
  it("submit, verify, reject, submit, verify, approve: exactly submitted, rejected, submitted, approved", async () => {
    const { secret } = await register(world.a.admin, "/a", [
      "invoice.submitted",
      "invoice.approved",
      "invoice.rejected",
      "invoice.paid",
    ]);
    const { clerk, checker } = await helpersOf(world);
    const inv = await draft(world);
    await (await as(clerk)).invoice.submit({ id: inv.id });
    await (await as(checker)).invoice.verify({ id: inv.id });
    await (await as(checker)).invoice.reject({ id: inv.id, reason: "wrong total" });
    await (await as(clerk)).invoice.submit({ id: inv.id });
    await (await as(checker)).invoice.verify({ id: inv.id });
    await (await as(world.a.admin)).invoice.approve({ id: inv.id });

    const report = await dispatcher().drain();
    expect(report).toEqual({ attempted: 4, delivered: 4, failed: 0, dead: 0 });
    const bodies = receiver.received
      .map((r) => ({ r, event: JSON.parse(r.body) }))
      .sort((x, y) => x.event.occurredAt.localeCompare(y.event.occurredAt));
    expect(bodies.map((b) => b.event.type)).toEqual([
      "invoice.submitted",
      "invoice.rejected",
      "invoice.submitted",
      "invoice.approved",
    ]);
    for (const { r, event } of bodies) {
      expect(verifies(secret, r)).toBe(true);
      expect(r.headers["remit-webhook-id"]).toBe(event.id);
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.path).toBe("/a");
    }
    const approved = bodies.at(-1)?.event;
    expect(Object.keys(approved)).toEqual(["id", "type", "occurredAt", "tenantId", "data"]);
    expect(approved).toMatchObject({
      type: "invoice.approved",
      tenantId: world.tenantA,
      data: {
        invoiceId: inv.id,
        invoiceNumber: "CASE",
        supplierName: "Case supplier of record",
        total: "10.00",
        currency: "EUR",
        status: "approved_to_ap",
        previousStatus: "verified",
      },
    });
    expect(approved.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(bodies[1]?.event.data).toMatchObject({ status: "draft", previousStatus: "verified" });
    // Nothing left to send.
    expect(await dispatcher().drain()).toMatchObject({ attempted: 0 });
  });

  it("an endpoint gets only the events it subscribed to; a disabled one gets none", async () => {
    await register(world.a.admin, "/approved-only", ["invoice.approved"]);
    const off = await register(world.a.admin, "/off", ["invoice.submitted"]);
    await (await as(world.a.admin)).webhook.update({
      id: off.endpoint.id,
      data: { enabled: false },
    });
    const { clerk } = await helpersOf(world);
    const inv = await draft(world);
    await (await as(clerk)).invoice.submit({ id: inv.id });
    expect(await dispatcher().drain()).toMatchObject({ attempted: 0 });
    expect(receiver.received).toEqual([]);
  });

  it("the event is written in the transition's transaction: a rolled-back transition leaves none", async () => {
    await register(world.a.admin, "/a", ["invoice.submitted"]);
    const inv = await draft(world);
    const { clerk } = await helpersOf(world);
    const ctx = { tenantId: world.tenantA, userId: clerk.userId, role: "user" as const };
    const events = (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
      tx.select().from(webhookEvents).where(eq(webhookEvents.invoiceId, inv.id));
    await expect(
      withTenant(world.deps.db, ctx, async (tx) => {
        await tx
          .update(invoices)
          .set({ status: "pending_verification" })
          .where(eq(invoices.id, inv.id));
        // Inside the transaction, the outbox row is already there with the status change.
        expect(await events(tx)).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await withTenant(world.deps.db, ctx, events)).toHaveLength(0);
    expect(await dispatcher().drain()).toMatchObject({ attempted: 0 });
  });

  it("two tenants' endpoints receive only their own tenant's events", async () => {
    await register(world.a.admin, "/tenant-a", ["invoice.submitted"]);
    await register(world.b.admin, "/tenant-b", ["invoice.submitted"]);
    const { clerk } = await helpersOf(world);
    const a = await draft(world);
    await (await as(clerk)).invoice.submit({ id: a.id });
    const bAdmin = await as(world.b.admin);
    const supplier = await bAdmin.supplier.create({ name: "B supplier" });
    const b = await bAdmin.invoice.create({
      supplierId: supplier?.id,
      invoiceNumber: "B-1",
      invoiceDate: "2026-01-15",
      currency: "EUR",
      total: "20.00",
      lineItems: [],
    });
    await bAdmin.invoice.submit({ id: b.id });
    await dispatcher().drain();
    const byPath = (path: string) =>
      receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
    expect(byPath("/tenant-a").map((e) => [e.tenantId, e.data.invoiceId])).toEqual([
      [world.tenantA, a.id],
    ]);
    expect(byPath("/tenant-b").map((e) => [e.tenantId, e.data.invoiceId])).toEqual([
      [world.tenantB, b.id],
    ]);
  });
});

describe("the periodic task", () => {
  it("drains on every run, with or without a report callback", async () => {
    await register(world.a.admin, "/run", ["invoice.submitted"]);
    const { clerk } = await helpersOf(world);
    await (await as(clerk)).invoice.submit({ id: (await draft(world)).id });
    const task = webhookTask(world.deps, { pollMs: 1 });
    await task.run(new AbortController().signal);
    expect(receiver.received.map((r) => r.path)).toEqual(["/run"]);
  });

  it("is woken by the outbox's NOTIFY at commit, not by its poll", async (ctx) => {
    // PGlite behind the test wire port has one session and no second connection to LISTEN on
    // (packages/db/src/testing/wire-notifications.ts): a NOTIFY sent by a trigger is not relayed
    // there. The embedded server and PostgreSQL deliver it; this runs on PostgreSQL.
    if (world.handle.label !== "postgres") ctx.skip();
    await register(world.a.admin, "/woken", ["invoice.submitted"]);
    const drained: number[] = [];
    const stop = new AbortController();
    const task = webhookTask(world.deps, {
      notifications: world.handle.notifications,
      // Far longer than the test may take: only the notification can end the wait in time.
      pollMs: 120_000,
      onDrained: (report) => {
        drained.push(report.delivered);
        if (report.delivered > 0) stop.abort();
      },
    });
    await task.wake.listen();
    // The first run finds nothing and waits.
    const first = task.run(stop.signal);
    const { clerk } = await helpersOf(world);
    const started = performance.now();
    await (await as(clerk)).invoice.submit({ id: (await draft(world)).id });
    await first;
    await task.run(stop.signal);
    expect(drained).toEqual([0, 1]);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(["invoice.submitted"]);
  });
});

describe("retries, dead letters, redelivery", () => {
  it("retries a 500 with exponential backoff, then delivers the same bytes", async () => {
    await register(world.a.admin, "/flaky", ["invoice.submitted"]);
    receiver.answer(500, 503, 200);
    const { clerk } = await helpersOf(world);
    await (await as(clerk)).invoice.submit({ id: (await draft(world)).id });
    const d = dispatcher();

    expect(await d.drain()).toMatchObject({ attempted: 1, failed: 1 });
    let [row] = await deliveryRows(world.tenantA);
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 500 });
    expect(row?.lastError).toMatch(/^the endpoint answered 500: receiver says 500/);
    expect(row?.lastError?.length).toBeLessThan(120);
    // random() = 1: the full delay, base * 2^0 = 30 s after the attempt.
    const firstWait = (row?.nextAttemptAt.getTime() ?? 0) - clock().getTime();
    expect(firstWait).toBeGreaterThan(29_000);
    expect(firstWait).toBeLessThanOrEqual(30_000);
    expect(await d.drain()).toMatchObject({ attempted: 0 });

    advance(30);
    expect(await d.drain()).toMatchObject({ attempted: 1, failed: 1 });
    [row] = await deliveryRows(world.tenantA);
    const secondWait = (row?.nextAttemptAt.getTime() ?? 0) - clock().getTime();
    expect(secondWait).toBeGreaterThan(59_000);
    expect(secondWait).toBeLessThanOrEqual(60_000);

    advance(60);
    expect(await d.drain()).toMatchObject({ attempted: 1, delivered: 1 });
    [row] = await deliveryRows(world.tenantA);
    expect(row).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.headers["remit-webhook-id"])).size).toBe(1);
    expect(receiver.received.map((r) => r.headers["remit-webhook-attempt"])).toEqual([
      "1",
      "2",
      "3",
    ]);
  });

  it("gives up after N attempts (dead); redeliver sends it again with a fresh budget", async () => {
    await register(world.a.admin, "/down", ["invoice.submitted"]);
    receiver.answer(500);
    const { clerk } = await helpersOf(world);
    await (await as(clerk)).invoice.submit({ id: (await draft(world)).id });
    const d = dispatcher({ maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await d.drain();
      advance(3600);
    }
    let [row] = await deliveryRows(world.tenantA);
    expect(row).toMatchObject({ status: "dead", attempts: 3 });
    expect(await d.drain()).toMatchObject({ attempted: 0 });

    const admin = await as(world.a.admin);
    const log = await admin.webhook.deliveries({});
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ status: "dead", attempts: 3, nextAttemptAt: null });
    receiver.answer(200);
    await admin.webhook.redeliver({ deliveryId: row?.id ?? "" });
    expect(await d.drain()).toMatchObject({ attempted: 1, delivered: 1 });
    [row] = await deliveryRows(world.tenantA);
    expect(row).toMatchObject({ status: "delivered", attempts: 4, attemptBase: 3 });
  });

  it("at least once: a dispatcher that dies between the POST and its record sends again after the lease", async () => {
    await register(world.a.admin, "/crash", ["invoice.submitted"]);
    const { clerk } = await helpersOf(world);
    await (await as(clerk)).invoice.submit({ id: (await draft(world)).id });
    const dying = dispatcher({
      post: async (...args) => {
        await postWebhook(...args);
        throw new Error("the process died here");
      },
    });
    await expect(dying.drain()).rejects.toThrow("the process died here");
    expect(receiver.received).toHaveLength(1);
    expect(await dispatcher().drain()).toMatchObject({ attempted: 0 }); // still leased
    advance(60);
    expect(await dispatcher().drain()).toMatchObject({ attempted: 1, delivered: 1 });
    const ids = receiver.received.map((r) => r.headers["remit-webhook-id"]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it("a test ping is signed, delivered and logged", async () => {
    const { endpoint, secret } = await register(world.a.admin, "/ping", ["invoice.approved"]);
    const admin = await as(world.a.admin);
    await admin.webhook.test({ id: endpoint.id });
    await dispatcher().drain();
    expect(receiver.received).toHaveLength(1);
    const [ping] = receiver.received;
    expect(JSON.parse(ping?.body ?? "{}")).toMatchObject({
      type: "webhook.ping",
      tenantId: world.tenantA,
      data: { endpointId: endpoint.id },
    });
    expect(verifies(secret, ping as never)).toBe(true);
    // A rotated secret signs from now on; the old one no longer verifies.
    const rotated = await admin.webhook.rotateSecret({ id: endpoint.id });
    expect(rotated.secret).not.toBe(secret);
    await admin.webhook.test({ id: endpoint.id });
    await dispatcher().drain();
    const second = receiver.received[1];
    expect(verifies(rotated.secret, second as never)).toBe(true);
    expect(verifies(secret, second as never)).toBe(false);
    const log = await admin.webhook.deliveries({ endpointId: endpoint.id, limit: 1 });
    expect(log.items).toHaveLength(1);
    expect(log.nextCursor).not.toBeNull();
    const next = await admin.webhook.deliveries({
      endpointId: endpoint.id,
      limit: 1,
      cursor: log.nextCursor ?? undefined,
    });
    expect(next.items).toHaveLength(1);
    expect(next.items[0]?.id).not.toBe(log.items[0]?.id);
    expect(next.nextCursor).toBeNull();
  });
});

describe("SSRF", () => {
  const strict = () => ({
    ...world.deps,
    webhooks: {
      ...world.deps.webhooks,
      policy: {
        allowPrivate: false,
        allowHttp: false,
        resolve: async (host: string) =>
          host === "localhost"
            ? [{ address: "127.0.0.1", family: 4 as const }]
            : host === "rebind.example.com"
              ? [{ address: "127.0.0.1", family: 4 as const }]
              : [{ address: "93.184.215.14", family: 4 as const }],
      },
    },
  });

  it.each([
    ["https://127.0.0.1/hook", /127\.0\.0\.1 is a loopback address/],
    ["https://169.254.169.254/latest/meta-data", /link-local address/],
    ["https://[::1]/hook", /::1 is a loopback address/],
    ["https://[::ffff:127.0.0.1]/hook", /loopback address/],
    ["https://10.1.2.3/hook", /private network address/],
    ["https://localhost/hook", /localhost resolves to 127\.0\.0\.1, a loopback address/],
    ["https://2130706433/hook", /127\.0\.0\.1 is a loopback address/],
    ["http://hooks.example.com/hook", /must use https/],
    ["https://user:pw@hooks.example.com/hook", /user name or password/],
  ])("registration refuses %s with a sentence", async (url, sentence) => {
    const caller = await callerFor(strict(), world.a.admin);
    const error = await caller.webhook
      .create({ url, events: ["invoice.submitted"] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(sentence);
    expect(error.message).not.toMatch(/at |\n/);
  });

  it("delivery checks again: a host that now resolves to loopback is not called", async () => {
    // Registered while it resolved to a public address.
    const caller = await callerFor(strict(), world.a.admin);
    await caller.webhook.create({
      url: "https://hooks.example.com/x",
      events: ["invoice.submitted"],
    });
    await withTenant(
      world.deps.db,
      { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
      (tx) => tx.update(webhookEndpoints).set({ url: "https://rebind.example.com/x" }),
    );
    const { clerk } = await helpersOf(world);
    await (await as(clerk)).invoice.submit({ id: (await draft(world)).id });
    const d = dispatcher({ policy: strict().webhooks.policy });
    expect(await d.drain()).toMatchObject({ attempted: 1, failed: 1 });
    const [row] = await deliveryRows(world.tenantA);
    expect(row?.lastError).toMatch(
      /^not sent: the webhook host rebind\.example\.com resolves to 127\.0\.0\.1, a loopback address/,
    );
    expect(row?.lastStatusCode).toBeNull();
    expect(receiver.received).toEqual([]);
  });
});

describe("isolation of the webhook tables, as remit_app", () => {
  it("own rows visible, the other tenant's invisible and untouchable", async () => {
    const mine = await register(world.a.admin, "/iso", ["invoice.submitted"]);
    await (await as(world.a.admin)).webhook.test({ id: mine.endpoint.id });
    const asB = { tenantId: world.tenantB, userId: world.b.admin.userId, role: "admin" as const };
    const asA = { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" as const };
    await withTenant(world.deps.db, asA, async (tx) => {
      expect(await tx.select().from(webhookEndpoints)).toHaveLength(1);
      expect(await tx.select().from(webhookDeliveries)).toHaveLength(1);
      expect(
        await tx.select().from(webhookEvents).where(sql`type = 'webhook.ping'`),
      ).not.toHaveLength(0);
    });
    await withTenant(world.deps.db, asB, async (tx) => {
      expect(await tx.select().from(webhookEndpoints)).toEqual([]);
      expect(await tx.select().from(webhookDeliveries)).toEqual([]);
      // B's own events (from the two-tenant test) are there; none of A's.
      const seen = await tx.select().from(webhookEvents);
      expect(seen.filter((e) => e.tenantId !== world.tenantB)).toEqual([]);
      const updated = await tx
        .update(webhookEndpoints)
        .set({ url: "https://evil.example.com/" })
        .where(eq(webhookEndpoints.id, mine.endpoint.id))
        .returning();
      expect(updated).toEqual([]);
      const redelivered = await tx.update(webhookDeliveries).set({ status: "pending" }).returning();
      expect(redelivered).toEqual([]);
      expect(await tx.delete(webhookEndpoints).returning()).toEqual([]);
    });
    // Writing into A's tenant from B's transaction is refused by the policy's WITH CHECK.
    await expect(
      withTenant(world.deps.db, asB, (tx) =>
        tx.insert(webhookEndpoints).values({
          tenantId: world.tenantA,
          url: "https://evil.example.com/",
          events: ["invoice.submitted"],
          secretCiphertext: "x",
          secretHint: "x",
          createdBy: world.b.admin.userId,
        }),
      ),
    ).rejects.toThrow();
    // Events are append-only for remit_app (drizzle wraps the server's error on PostgreSQL).
    const denied = await withTenant(world.deps.db, asA, (tx) => tx.delete(webhookEvents)).catch(
      (e: Error) => `${e.message} ${(e.cause as Error | undefined)?.message ?? ""}`,
    );
    expect(denied).toMatch(/permission denied/);
    // A member who is not an admin may not write endpoints, whatever the API does.
    const { clerk } = await helpersOf(world);
    await expect(
      withTenant(world.deps.db, { ...asA, userId: clerk.userId, role: "user" }, (tx) =>
        tx.update(webhookEndpoints).set({ enabled: false }).returning(),
      ),
    ).resolves.toEqual([]);
  });

  it("another tenant's endpoint and delivery ids are NOT_FOUND", async () => {
    const mine = await register(world.a.admin, "/iso2", ["invoice.submitted"]);
    const { deliveryId } = await (await as(world.a.admin)).webhook.test({ id: mine.endpoint.id });
    const b = await as(world.b.admin);
    expect(
      await outcome(() => b.webhook.update({ id: mine.endpoint.id, data: { enabled: false } })),
    ).toBe("NOT_FOUND");
    expect(await outcome(() => b.webhook.delete({ id: mine.endpoint.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => b.webhook.rotateSecret({ id: mine.endpoint.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => b.webhook.test({ id: mine.endpoint.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => b.webhook.deliveries({ endpointId: mine.endpoint.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await outcome(() => b.webhook.redeliver({ deliveryId }))).toBe("NOT_FOUND");
    expect((await b.webhook.list()).endpoints).toEqual([]);
  });
});
