import { createDb, type DbHandle } from "@remit/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LiveEvent, NotifiedInvoiceEvents, tenantChannel } from "../src/events";

// CI's PostgreSQL pass; absent on the embedded default pass.
const testDatabaseUrl = inject("remitSuiteDatabase").url;

/*
 * The live-event bus on the database's LISTEN/NOTIFY. On either database: a subscriber hears
 * its tenant's events in order and nothing of another tenant, a payload that is not an event is
 * dropped. On PostgreSQL, two handles stand for two API processes: an event published by one
 * reaches a subscriber of the other, and a subscriber whose process lost its listening
 * connection is told to re-read (resync) and then hears new events again.
 */

let handle: DbHandle;

// No tables are involved, so no migrations: a bare in-memory PGlite, or the test server.
const open = () => createDb({ url: testDatabaseUrl, dataDir: "memory://", maxConnections: 4 });

beforeAll(async () => {
  handle = open();
});

afterAll(async () => {
  await handle?.close();
});

/** Collects a subscription's events until stop(); `until` waits (bounded) for a condition. */
function collect(events: NotifiedInvoiceEvents, tenantId: string) {
  const abort = new AbortController();
  const seen: LiveEvent[] = [];
  const stream = events.subscribe(tenantId, abort.signal);
  const done = (async () => {
    for await (const event of stream) seen.push(event);
  })();
  return {
    seen,
    async until(what: string, ok: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}

/** Subscribed once a marker published after subscribing has arrived. */
async function subscribed(
  events: NotifiedInvoiceEvents,
  tenantId: string,
  stream: ReturnType<typeof collect>,
) {
  const marker = crypto.randomUUID();
  for (let i = 0; i < 50; i++) {
    await events.publish(tenantId, { invoiceId: marker, kind: "invoice.updated", status: "x" });
    const arrived = await stream
      .until(
        "marker",
        () => stream.seen.some((e) => "invoiceId" in e && e.invoiceId === marker),
        200,
      )
      .then(() => true)
      .catch(() => false);
    if (arrived) break;
  }
  stream.seen.length = 0;
}

const id = () => crypto.randomUUID();

it("hands a subscriber its own tenant's events, in order, and nothing else", async () => {
  const events = new NotifiedInvoiceEvents(handle.notifications);
  const [tenantA, tenantB] = [id(), id()];
  const a = collect(events, tenantA);
  const b = collect(events, tenantB);
  await subscribed(events, tenantA, a);
  await subscribed(events, tenantB, b);
  const invoiceId = id();
  const kinds = ["invoice.created", "job.progress", "job.progress", "job.succeeded"] as const;
  await Promise.all(
    kinds.map((kind, i) => events.publish(tenantA, { invoiceId, kind, status: "s", progress: i })),
  );
  await a.until("four events", () => a.seen.length === 4);
  expect(a.seen.map((e) => e.kind)).toEqual(kinds);
  expect(a.seen.map((e) => ("progress" in e ? e.progress : null))).toEqual([0, 1, 2, 3]);
  // Another event of B's, after A's: once it is in, A's would have been too.
  await events.publish(tenantB, { invoiceId: id(), kind: "invoice.created", status: "draft" });
  await b.until("B's own event", () => b.seen.length === 1);
  expect(b.seen.some((e) => "invoiceId" in e && e.invoiceId === invoiceId)).toBe(false);
  await Promise.all([a.stop(), b.stop()]);
});

it("drops a notification on a tenant's channel that is not an event", async () => {
  const events = new NotifiedInvoiceEvents(handle.notifications);
  const tenantId = id();
  const stream = collect(events, tenantId);
  await subscribed(events, tenantId, stream);
  const channel = tenantChannel(tenantId);
  await handle.db.execute(sql`select pg_notify(${channel}, 'not json')`);
  await handle.db.execute(sql`select pg_notify(${channel}, ${JSON.stringify({ kind: "x" })})`);
  await events.publish(tenantId, { invoiceId: id(), kind: "invoice.created", status: "draft" });
  await stream.until("the real event", () => stream.seen.length > 0);
  expect(stream.seen.map((e) => e.kind)).toEqual(["invoice.created"]);
  await stream.stop();
});

it("refuses a tenant id that is not a UUID as a channel", () => {
  expect(() => tenantChannel("a; listen b")).toThrow(/UUID/);
});

describe.runIf(testDatabaseUrl)("on PostgreSQL, two API processes", () => {
  let other: DbHandle;

  beforeAll(async () => {
    other = open();
  });

  afterAll(async () => {
    await other?.close();
  });

  it("delivers an event published by one process to a subscriber of the other", async () => {
    const here = new NotifiedInvoiceEvents(handle.notifications);
    const there = new NotifiedInvoiceEvents(other.notifications);
    const tenantId = id();
    const stream = collect(here, tenantId);
    await subscribed(here, tenantId, stream);
    const invoiceId = id();
    await there.publish(tenantId, { invoiceId, kind: "invoice.created", status: "draft" });
    await stream.until("the other process's event", () => stream.seen.length === 1);
    expect(stream.seen[0]).toMatchObject({ kind: "invoice.created", invoiceId });
    await stream.stop();
  });

  it("tells the subscriber to re-read after a lost listening connection, then goes on", async () => {
    const here = new NotifiedInvoiceEvents(other.notifications);
    const tenantId = id();
    const stream = collect(here, tenantId);
    await subscribed(here, tenantId, stream);
    await handle.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = 'remit-events' and datname = current_database()`,
    );
    await stream.until("the resync", () => stream.seen.some((e) => e.kind === "resync"));
    const invoiceId = id();
    await new NotifiedInvoiceEvents(handle.notifications).publish(tenantId, {
      invoiceId,
      kind: "invoice.updated",
      status: "draft",
    });
    await stream.until("an event after the resync", () =>
      stream.seen.some((e) => "invoiceId" in e && e.invoiceId === invoiceId),
    );
    await stream.stop();
  });
});
