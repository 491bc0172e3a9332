import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ChannelHandlers } from "../src/notifications";
import { queryRows } from "../src/rows";
import { openTestDatabase, type TestDatabase } from "../src/testing";

// CI's PostgreSQL pass; absent on the embedded default pass.
const testDatabaseUrl = inject("remitSuiteDatabase").url;

/*
 * LISTEN/NOTIFY through DbHandle.notifications, on PGlite and on PostgreSQL alike: ordered
 * batches, one channel per listener, nothing from a rolled-back transaction. On PostgreSQL, a
 * second handle stands for a second API process, and the listener survives its connection being
 * terminated: it listens again and says so (onResume).
 */

let handle: TestDatabase;

beforeAll(async () => {
  handle = await openTestDatabase({ url: testDatabaseUrl });
});

afterAll(async () => {
  await handle?.close();
});

const channel = () => `remit_test_${crypto.randomUUID().replaceAll("-", "")}`;

/** Records what a channel hears; `until` waits (bounded) for a condition on it. */
function recorder() {
  const payloads: string[] = [];
  let resumed = 0;
  const handlers: ChannelHandlers = {
    onPayload: (payload) => payloads.push(payload),
    onResume: () => {
      resumed++;
    },
  };
  return {
    handlers,
    payloads,
    resumed: () => resumed,
    async until(what: string, done: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

it("delivers a batch in order, on its own channel only", async () => {
  const [mine, other] = [channel(), channel()];
  const heard = recorder();
  const elsewhere = recorder();
  const stop = await handle.notifications.listen(mine, heard.handlers);
  const stopOther = await handle.notifications.listen(other, elsewhere.handlers);
  await handle.notifications.notify(["1", "2", "3"].map((payload) => ({ channel: mine, payload })));
  await heard.until("three payloads", () => heard.payloads.length === 3);
  expect(heard.payloads).toEqual(["1", "2", "3"]);
  await stop();
  await handle.notifications.notify([{ channel: mine, payload: "after" }]);
  await handle.notifications.notify([{ channel: other, payload: "marker" }]);
  await elsewhere.until("the marker", () => elsewhere.payloads.length === 1);
  // The marker went out after "after": had "after" been delivered, it would be here by now.
  expect(heard.payloads).toEqual(["1", "2", "3"]);
  expect(elsewhere.payloads).toEqual(["marker"]);
  await stopOther();
});

it("announces nothing of a transaction that rolled back, and a committed one on commit", async () => {
  const name = channel();
  const heard = recorder();
  const stop = await handle.notifications.listen(name, heard.handlers);
  await handle.db
    .transaction(async (tx) => {
      await tx.execute(sql`select pg_notify(${name}, 'rolled back')`);
      throw new Error("roll back");
    })
    .catch(() => {});
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_notify(${name}, 'committed')`);
  });
  await heard.until("the committed payload", () => heard.payloads.length > 0);
  expect(heard.payloads).toEqual(["committed"]);
  await stop();
});

it("refuses a channel name that would need quoting", async () => {
  await expect(handle.notifications.listen("Tenant; drop", recorder().handlers)).rejects.toThrow(
    /not a channel name/,
  );
});

describe.runIf(testDatabaseUrl)("on PostgreSQL, across processes", () => {
  let other: TestDatabase;

  beforeAll(async () => {
    other = await openTestDatabase({ url: testDatabaseUrl });
  });

  afterAll(async () => {
    await other?.close();
  });

  it("reaches a listener of another process", async () => {
    const name = channel();
    const heard = recorder();
    const stop = await handle.notifications.listen(name, heard.handlers);
    await other.notifications.notify([{ channel: name, payload: "from elsewhere" }]);
    await heard.until("the other process's payload", () => heard.payloads.length === 1);
    expect(heard.payloads).toEqual(["from elsewhere"]);
    await stop();
  });

  it("listens again after its connection is terminated, and says so", async () => {
    const name = channel();
    const heard = recorder();
    const stop = await other.notifications.listen(name, heard.handlers);
    const terminated = await queryRows<{ ok: boolean }>(
      handle.db,
      sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
          where application_name = 'remit-events' and datname = current_database()
            and pid <> pg_backend_pid()`,
    );
    expect(terminated.filter((r) => r.ok).length).toBeGreaterThan(0);
    await heard.until("the resume", () => heard.resumed() === 1);
    await handle.notifications.notify([{ channel: name, payload: "after the resume" }]);
    await heard.until("a payload after the resume", () => heard.payloads.length === 1);
    expect(heard.payloads).toEqual(["after the resume"]);
    await stop();
  });
});
