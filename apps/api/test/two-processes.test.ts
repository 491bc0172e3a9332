import { createRemitClient, signUp } from "@remit/client";
import { createDb, type DbHandle, leaderLockKey, queryRows } from "@remit/db";
import {
  type ApiProcess,
  type FreshDatabase,
  freshDatabase,
  startApi,
  until,
} from "@remit/testkit";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * Two real API processes on one PostgreSQL database, as behind a load balancer. A browser
 * subscribed to one hears what was done through the other (LISTEN/NOTIFY); the periodic tasks
 * run in one of them, and when that one is killed (SIGKILL: no goodbye) the other takes them
 * over. PostgreSQL only: the embedded database is one process by construction.
 */

const serverUrl = process.env.TEST_DATABASE_URL || undefined;

describe.runIf(serverUrl)("two API processes on one database", () => {
  let database: FreshDatabase;
  let apis: ApiProcess[] = [];
  let db: DbHandle;

  beforeAll(async () => {
    database = await freshDatabase(serverUrl);
    const env = { PERIODIC_CHECK_SECONDS: "0.2", WEB_DIST_DIR: "off" };
    // One after the other: the first applies the migrations, the second finds them applied.
    const first = await startApi(env, { database });
    const second = await startApi({ ...env, PUBLIC_URL: first.url }, { database });
    apis = [first, second];
    db = createDb({ url: database.env.DATABASE_URL, maxConnections: 1 });
  });

  afterAll(async () => {
    await db?.close();
    await Promise.all(apis.map((api) => api.stop()));
    await database?.drop();
  });

  it("delivers an event caused through one process to a subscriber of the other", async () => {
    const [one, two] = apis as [ApiProcess, ApiProcess];
    // Both processes share PUBLIC_URL (the issuer of tokens), as they would behind one address.
    const email = `two-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const token = await signUp(one.url, { name: "Two", email, password: "correct horse battery" });
    await createRemitClient({ url: one.url, token }).tenant.create.mutate({
      name: "Two",
      slug: `two-${crypto.randomUUID().slice(0, 8)}`,
    });
    const stop = new AbortController();
    const response = await fetch(`${one.url}/api/trpc/events.invoices`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: stop.signal,
    });
    let text = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body ?? []) text += decoder.decode(chunk as Uint8Array);
      } catch {
        // aborted
      }
    })();
    const through = createRemitClient({ url: two.url, token });
    // The stream may take a moment to listen: create until one creation is heard (bounded).
    let heard = "";
    for (let i = 0; i < 20 && !heard; i++) {
      const created = await through.invoice.create.mutate({
        invoiceNumber: `TWO-${i}`,
        lineItems: [],
      });
      heard = await until(`the event of ${created.id}`, async () => text.includes(created.id), 1000)
        .then(() => created.id)
        .catch(() => "");
    }
    stop.abort();
    await reading;
    expect(heard).not.toBe("");
    expect(text).toContain("invoice.created");
  });

  it("runs the periodic tasks in one process, and in the other once that one is killed", async () => {
    const holderPid = async () => {
      const [row] = await queryRows<{ name: string }>(
        db.db,
        sql`select a.application_name as name from pg_locks l join pg_stat_activity a using (pid)
            where l.locktype = 'advisory' and l.granted and l.objsubid = 2
              and l.objid = ${String(leaderLockKey("remit.periodic"))}::oid
              and l.database = (select oid from pg_database where datname = current_database())`,
      );
      return row ? Number(row.name.replace("remit-leader ", "")) : null;
    };
    const first = await until("a holder", holderPid, 10_000);
    const holder = apis.find((api) => api.child.pid === first);
    const survivor = apis.find((api) => api !== holder);
    expect(holder).toBeDefined();
    await holder?.kill("SIGKILL");
    const killedAt = Date.now();
    const next = await until(
      "the survivor to take over",
      async () => ((await holderPid()) === survivor?.child.pid ? true : null),
      10_000,
    );
    expect(next).toBe(true);
    // The check runs every 0.2 s; the server releases a dead session's lock at once.
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect((await fetch(`${survivor?.url}/readyz`)).status).toBe(200);
  });
});
