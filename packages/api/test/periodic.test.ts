import { type LeaderLock, leaderLockKey, pgliteLeaderLock } from "@remit/db";
import { openTestDatabase, type TestDatabase } from "@remit/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PeriodicRunner } from "../src/periodic/runner";

// CI's PostgreSQL pass; absent on the embedded default pass.
const testDatabaseUrl = inject("remitSuiteDatabase").url;

/*
 * The periodic runner. On either database: a registered task runs while the process holds the
 * leader lock, and stops with the runner. On PostgreSQL, two handles stand for two API
 * processes: only one runs the tasks; when the holder's session ends (as when its process is
 * killed) the other takes over at its next check, and the old holder, finding the lock gone,
 * stops its tasks. A real SIGKILL of a real API process is in apps/api/test/periodic-handover.
 */

let handle: TestDatabase | undefined;

beforeAll(async () => {
  // The embedded database's lock needs no database: its one process always holds it.
  if (testDatabaseUrl) handle = await openTestDatabase({ url: testDatabaseUrl });
});

afterAll(async () => {
  await handle?.close();
});

const lockFor = (name: string): LeaderLock => handle?.leaderLock(name) ?? pgliteLeaderLock();

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function countingTask(name: string) {
  const counter = { runs: 0 };
  return {
    counter,
    task: {
      name,
      everyMs: 20,
      runAtStart: true,
      run: async () => {
        counter.runs++;
      },
    },
  };
}

it("runs its tasks while it holds the lock, and stops them when stopped", async () => {
  const name = `remit.test.${crypto.randomUUID()}`;
  const runner = new PeriodicRunner(lockFor(name), { checkEveryMs: 50 });
  const { counter, task } = countingTask("count");
  runner.register(task);
  expect(() => runner.register(task)).toThrow(/registered already/);
  runner.start();
  await until("three runs", () => counter.runs >= 3);
  expect(runner.isLeader).toBe(true);
  await runner.stop();
  const after = counter.runs;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(counter.runs).toBe(after);
  expect(runner.isLeader).toBe(false);
});

it("reports a failing run and runs the task again", async () => {
  const runner = new PeriodicRunner(lockFor(`remit.test.${crypto.randomUUID()}`), {
    checkEveryMs: 50,
    onError: (error, task) => failures.push(`${task}: ${(error as Error).message}`),
  });
  const failures: string[] = [];
  runner.register({
    name: "flaky",
    everyMs: 10,
    runAtStart: true,
    run: async () => {
      throw new Error("no luck");
    },
  });
  runner.start();
  await until("two failures", () => failures.length >= 2);
  await runner.stop();
  expect(failures[0]).toBe("flaky: no luck");
});

describe.runIf(testDatabaseUrl)("on PostgreSQL, two API processes", () => {
  let here: TestDatabase;
  let other: TestDatabase;

  beforeAll(async () => {
    here = handle as TestDatabase;
    other = await openTestDatabase({ url: testDatabaseUrl });
  });

  afterAll(async () => {
    await other?.close();
  });

  it("runs the tasks in one process only, and hands them over when the holder's session ends", async () => {
    const name = `remit.test.${crypto.randomUUID()}`;
    const first = countingTask("count");
    const second = countingTask("count");
    const leaderships: string[] = [];
    // a's lock, with a switch that cuts a off from the database (its checks fail from then on),
    // so that a cannot simply take the lock back on a new connection as a live process would.
    const lockOfA = here.leaderLock(name);
    let cut = false;
    const a = new PeriodicRunner(
      {
        hold: () => (cut ? Promise.reject(new Error("cut off")) : lockOfA.hold()),
        release: () => lockOfA.release(),
      },
      {
        checkEveryMs: 50,
        onLeadership: (leading) => leaderships.push(`a ${leading}`),
      },
    );
    const b = new PeriodicRunner(other.leaderLock(name), {
      checkEveryMs: 50,
      onLeadership: (leading) => leaderships.push(`b ${leading}`),
    });
    a.register(first.task);
    b.register(second.task);
    a.start();
    await until("a leads", () => a.isLeader);
    b.start();
    await until("a few runs of a's", () => first.counter.runs >= 5);
    // b has checked many times by now and never led.
    expect(b.isLeader).toBe(false);
    expect(second.counter.runs).toBe(0);

    // The holder's session ends as it would if its process were killed.
    cut = true;
    await here.db.execute(
      sql`select pg_terminate_backend(pid) from pg_locks
          where locktype = 'advisory' and objsubid = 2 and granted
            and objid = ${String(leaderLockKey(name))}::oid`,
    );
    await until("b takes over", () => b.isLeader);
    await until("b runs the task", () => second.counter.runs >= 2);
    await until("a steps down", () => !a.isLeader);
    const firstRuns = first.counter.runs;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(first.counter.runs).toBe(firstRuns);
    expect(leaderships.sort()).toEqual(["a false", "a true", "b true"]);
    await Promise.all([a.stop(), b.stop()]);
  });
});
