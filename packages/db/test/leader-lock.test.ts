import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { leaderLockKey, pgliteLeaderLock } from "../src/leader-lock";
import { queryRows } from "../src/rows";
import { openTestDatabase, type TestDatabase } from "../src/testing";

// CI's PostgreSQL pass; absent on the embedded default pass.
const testDatabaseUrl = inject("remitSuiteDatabase").url;

/*
 * The leader lock: on PGlite the one process always holds it; on PostgreSQL one handle (one API
 * process) holds it at a time, a second hold() by the holder does not stack, and when the
 * holder's session ends (here: terminated, as when its process is killed) another takes it.
 */

it("is always held on the embedded database", async () => {
  const lock = pgliteLeaderLock();
  expect(await lock.hold()).toBe(true);
  expect(await lock.hold()).toBe(true);
  await lock.release();
});

describe.runIf(testDatabaseUrl)("on PostgreSQL", () => {
  let a: TestDatabase;
  let b: TestDatabase;

  beforeAll(async () => {
    a = await openTestDatabase({ url: testDatabaseUrl });
    b = await openTestDatabase({ url: testDatabaseUrl });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const holders = (name: string) =>
    queryRows<{ pid: number }>(
      a.db,
      sql`select pid from pg_locks
          where locktype = 'advisory' and granted and objsubid = 2
            and objid = ${String(leaderLockKey(name))}::oid and database = (
              select oid from pg_database where datname = current_database())`,
    );

  it("is held by one process at a time and handed over when the holder's session ends", async () => {
    const name = `remit.test.${crypto.randomUUID()}`;
    const first = a.leaderLock(name);
    const second = b.leaderLock(name);
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
    expect(await first.hold()).toBe(true);
    // Holding again did not take the lock twice: one row, one holder.
    const [holder, ...more] = await holders(name);
    expect(more).toEqual([]);

    await queryRows(a.db, sql`select pg_terminate_backend(${holder?.pid ?? 0}::int)`);
    // The server released the lock with the session; whoever asks first now has it.
    let taken = false;
    for (let i = 0; i < 100 && !taken; i++) {
      taken = await second.hold();
      if (!taken) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(taken).toBe(true);
    expect(await first.hold()).toBe(false);

    await second.release();
    expect(await first.hold()).toBe(true);
    await first.release();
    expect(await holders(name)).toEqual([]);
  });
});
