import { sql as drizzleSql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type DbHandle } from "../src/client";
import { queryRows } from "../src/rows";
import { seedTenant } from "../src/testing";
import { withTenant } from "../src/with-tenant";

/*
 * The patched postgres.js (patches/postgres@3.4.9.patch): when the backend of a connection is
 * killed inside sql.begin(), every query of that transaction, its own commit included, fails
 * with CONNECTION_CLOSED; nothing throws outside a promise (an uncaught TypeError from a write
 * to the closed socket used to end the process); nothing of the dead transaction runs on the
 * reconnected backend; and the next query works. Deterministic: each step waits for the fact
 * it needs (the client has seen the close, the server shows the statement running), never for
 * time to pass. It needs a real server to kill a backend, so it runs only on CI's PostgreSQL
 * pass (TEST_DATABASE_URL).
 */

const url = inject("remitSuiteDatabase").url;

/** Settles with the error a promise rejected with, or fails the test if it resolved. */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error("expected the query to fail, but it succeeded");
}

describe.runIf(url)(
  "postgres.js, patched: a backend killed inside begin() (PostgreSQL only: TEST_DATABASE_URL)",
  () => {
    let admin: postgres.Sql;
    const uncaught: unknown[] = [];
    const recordUncaught = (error: unknown) => uncaught.push(error);

    beforeAll(() => {
      admin = postgres(url as string, { max: 1, onnotice: () => {} });
      // A monitor only: it sees an uncaught exception without changing what happens to it.
      process.on("uncaughtExceptionMonitor", recordUncaught);
    });
    afterAll(async () => {
      process.off("uncaughtExceptionMonitor", recordUncaught);
      await admin?.end();
    });
    afterEach(() => {
      expect(uncaught.splice(0)).toEqual([]);
    });

    /** A one-connection pool, and a promise that settles each time its connection closes. */
    function pool() {
      let closed: () => void = () => {};
      let nextClose = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const sql = postgres(url as string, {
        max: 1,
        onnotice: () => {},
        onclose: () => {
          closed();
          nextClose = new Promise<void>((resolve) => {
            closed = resolve;
          });
        },
      });
      return { sql, closes: () => nextClose };
    }

    const terminate = (pid: number) => admin`select pg_terminate_backend(${pid}) as ok`;

    it("fails the transaction's later queries with CONNECTION_CLOSED, and the next query works", async () => {
      const { sql, closes } = pool();
      try {
        const probe = `driver_probe_${crypto.randomUUID().replaceAll("-", "")}`;
        await sql.unsafe(`create table ${probe} (id int)`);
        const later: Array<Promise<unknown>> = [];
        const transaction = sql.begin(async (tx) => {
          const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          const closed = closes();
          const [killed] = await terminate(row?.pid ?? 0);
          expect(killed?.ok).toBe(true);
          await closed;
          // The connection is gone: queries issued now, pipelined, a write among them.
          later.push(tx`select 1`, tx.unsafe(`insert into ${probe} values (1)`), tx`select 2`);
          await Promise.allSettled(later);
        });

        expect((await rejection(transaction)).code).toBe("CONNECTION_CLOSED");
        for (const query of later) expect((await rejection(query)).code).toBe("CONNECTION_CLOSED");
        // The next query runs on a new backend, and the dead transaction's insert never ran.
        expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
        expect(await sql.unsafe(`select count(*)::int as n from ${probe}`)).toEqual([{ n: 0 }]);
        await sql.unsafe(`drop table ${probe}`);
      } finally {
        await sql.end();
      }
    });

    it("fails the statement in flight and the one queued behind it, and the next query works", async () => {
      const { sql } = pool();
      try {
        let sleeping: Promise<unknown> | undefined;
        let queued: Promise<unknown> | undefined;
        const transaction = sql.begin(async (tx) => {
          const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          const pid = row?.pid ?? 0;
          // Queries are lazy in postgres.js: execute() sends them now, pipelined.
          sleeping = tx`select pg_sleep(60)`.execute();
          queued = tx`select 2`.execute();
          // Kill it only once the server shows the statement running.
          for (;;) {
            const [activity] = await admin<{ query: string }[]>`
            select query from pg_stat_activity where pid = ${pid} and state = 'active'`;
            if (activity?.query.includes("pg_sleep")) break;
          }
          await terminate(pid);
          await Promise.allSettled([sleeping, queued]);
        });

        expect((await rejection(transaction)).code).toMatch(/^(CONNECTION_CLOSED|57P01)$/);
        expect((await rejection(sleeping as Promise<unknown>)).code).toMatch(
          /^(CONNECTION_CLOSED|57P01)$/,
        );
        expect((await rejection(queued as Promise<unknown>)).code).toBe("CONNECTION_CLOSED");
        expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
      } finally {
        await sql.end();
      }
    });

    it("through withTenant's pipelined runner: the request fails, the pool serves the next", async () => {
      const handle: DbHandle = createDb({ url, maxConnections: 1 });
      try {
        const tenant = await seedTenant(handle.db, "killed");
        const failure = await rejection(
          withTenant(handle.db, tenant.as.user, async (tx) => {
            const [row] = await queryRows<{ pid: number }>(
              tx,
              drizzleSql`select pg_backend_pid() as pid`,
            );
            const pid = row?.pid ?? 0;
            await terminate(pid);
            // Gone on the server's side; the client learns it from the closed socket.
            for (;;) {
              const [left] = await admin<{ n: number }[]>`
              select count(*)::int as n from pg_stat_activity where pid = ${pid}`;
              if (left?.n === 0) break;
            }
            await queryRows(tx, drizzleSql`select 1`);
          }),
        );
        // Drizzle wraps the driver's error; the cause is the driver's own.
        const cause = (failure as { cause?: { code?: string } }).cause ?? failure;
        expect(cause.code).toMatch(/^(CONNECTION_CLOSED|57P01)$/);
        const settings = await withTenant(handle.db, tenant.as.user, (tx) =>
          queryRows<{ tenant: string }>(
            tx,
            drizzleSql`select current_setting('app.tenant_id') as tenant`,
          ),
        );
        expect(settings).toEqual([{ tenant: tenant.tenantId }]);
      } finally {
        await handle.close();
      }
    });
  },
);
