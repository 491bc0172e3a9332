import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  claimOcrJob,
  completeOcrJob,
  failOcrJob,
  heartbeatOcrJob,
  type JobFence,
  ocrQueueDepth,
  releaseOcrJob,
} from "../src/ocr-queue";
import { ocrJobs } from "../src/schema";
import { type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import { withTenant } from "../src/with-tenant";
import { must, seedBusinessRows } from "./fixtures";

/*
 * The queue as the worker sees it through the API: claims never hand one job to two workers,
 * leases run out, retries back off, exhausted jobs are dead-lettered, and every write after a
 * claim is fenced by its attempt. Run as remit_app against PGlite and PostgreSQL.
 */

let handle: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
const backoff = { baseSeconds: 30, maxSeconds: 600 };

beforeAll(async () => {
  handle = await openSuiteDatabase({ maxConnections: 6 });
  a = await seedTenant(handle.db, "queue-a");
  b = await seedTenant(handle.db, "queue-b");
});

afterAll(async () => {
  await handle?.close();
});

// On a shared PostgreSQL, earlier test files leave jobs behind; they would be claimed first.
beforeEach(async () => {
  await handle.db
    .update(ocrJobs)
    .set({ status: "dead" })
    .where(inArray(ocrJobs.status, ["queued", "running"]));
});

async function newJob(tenant: SeededTenant, maxAttempts = 3): Promise<string> {
  const { jobId } = await seedBusinessRows(handle.db, tenant);
  await handle.db.update(ocrJobs).set({ maxAttempts }).where(eq(ocrJobs.id, jobId));
  return jobId;
}

async function jobRow(id: string) {
  const [row] = await handle.db.select().from(ocrJobs).where(eq(ocrJobs.id, id));
  return must(row);
}

/** Makes a held lease run out now, as if its worker had died. */
async function expireLease(id: string): Promise<void> {
  await handle.db
    .update(ocrJobs)
    .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
    .where(eq(ocrJobs.id, id));
}

const claim = (workerId = "w1") => claimOcrJob(handle.db, { workerId, leaseSeconds: 60 });
const asA = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(handle.db, a.as.user, fn);

describe("claiming", () => {
  it("leases the job to the worker and counts the attempt", async () => {
    const jobId = await newJob(a);
    const claimed = must((await claim("worker-7")) ?? undefined);
    expect(claimed).toMatchObject({ tenantId: a.tenantId, jobId, attempt: 1 });
    const row = await jobRow(jobId);
    expect(row.status).toBe("running");
    expect(row.leaseOwner).toBe("worker-7");
    // Measured from the claim's own time (the database's clock, not this process's).
    expect(row.leaseExpiresAt?.getTime()).toBeGreaterThan(row.updatedAt.getTime() + 30_000);
    expect(await claim()).toBeNull();
  });

  it("never gives one job to two concurrent claimers", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => newJob(a)));
    const claims = await Promise.all(ids.map((_, i) => claim(`w${i}`)));
    const claimedIds = claims.map((c) => must(c ?? undefined).jobId);
    expect(new Set(claimedIds).size).toBe(ids.length);
    expect([...claimedIds].sort()).toEqual([...ids].sort());
  });

  it("leaves a job alone until it is due", async () => {
    const jobId = await newJob(a);
    await handle.db
      .update(ocrJobs)
      .set({ runAfter: sql`now() + interval '1 hour'` })
      .where(eq(ocrJobs.id, jobId));
    expect(await claim()).toBeNull();
  });

  it("hands a job whose lease ran out to the next worker, with a new attempt", async () => {
    const jobId = await newJob(a);
    const first = must((await claim("dead-worker")) ?? undefined);
    expect(await claim()).toBeNull();
    await expireLease(jobId);
    const second = must((await claim("live-worker")) ?? undefined);
    expect(second).toMatchObject({ jobId, attempt: 2 });
    expect(first.attempt).toBe(1);
  });

  it("dead-letters a job whose lease ran out on its last attempt", async () => {
    const jobId = await newJob(a, 1);
    await claim();
    await expireLease(jobId);
    expect(await claim()).toBeNull();
    const row = await jobRow(jobId);
    expect(row.status).toBe("dead");
    expect(row.lastError).toMatch(/lease expired/);
  });

  it("counts the queue without naming any job", async () => {
    await newJob(a);
    await newJob(b);
    const depth = await ocrQueueDepth(handle.db);
    expect(depth.queued).toBe(2);
    expect(depth.running).toBe(0);
  });
});

describe("writes after a claim are fenced by the attempt", () => {
  it("a heartbeat extends the lease and records progress", async () => {
    const jobId = await newJob(a);
    const c = must((await claim()) ?? undefined);
    const fence: JobFence = { jobId, attempt: c.attempt };
    const until = await asA((tx) =>
      heartbeatOcrJob(tx, fence, { leaseSeconds: 600, progress: 40 }),
    );
    const row = await jobRow(jobId);
    // Measured from the heartbeat's own time (the database's clock, not this process's).
    expect(until?.getTime()).toBeGreaterThan(row.updatedAt.getTime() + 500_000);
    expect(row.progress).toBe(40);
  });

  it("a stale attempt's heartbeat, result and failure change nothing", async () => {
    const jobId = await newJob(a);
    const stale = must((await claim("slow")) ?? undefined);
    await expireLease(jobId);
    const fresh = must((await claim("fast")) ?? undefined);
    const staleFence = { jobId, attempt: stale.attempt };
    expect(await asA((tx) => heartbeatOcrJob(tx, staleFence, { leaseSeconds: 60 }))).toBeNull();
    expect(await asA((tx) => completeOcrJob(tx, staleFence, { by: "slow" }))).toBe(false);
    expect(
      await asA((tx) => failOcrJob(tx, staleFence, { error: "x", retryable: true, backoff })),
    ).toBeNull();
    expect(
      await asA((tx) => completeOcrJob(tx, { jobId, attempt: fresh.attempt }, { by: "fast" })),
    ).toBe(true);
    // A replay of the winning completion is as inert as the stale one.
    expect(
      await asA((tx) => completeOcrJob(tx, { jobId, attempt: fresh.attempt }, { by: "again" })),
    ).toBe(false);
    const row = await jobRow(jobId);
    expect(row.status).toBe("succeeded");
    expect(row.result).toEqual({ by: "fast" });
  });

  it("another tenant's context cannot touch the job at all", async () => {
    const jobId = await newJob(a);
    const c = must((await claim()) ?? undefined);
    const fence = { jobId, attempt: c.attempt };
    const asB = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
      withTenant(handle.db, b.as.user, fn);
    expect(await asB((tx) => heartbeatOcrJob(tx, fence, { leaseSeconds: 60 }))).toBeNull();
    expect(await asB((tx) => completeOcrJob(tx, fence, { forged: true }))).toBe(false);
    expect(
      await asB((tx) => failOcrJob(tx, fence, { error: "x", retryable: false, backoff })),
    ).toBeNull();
    const row = await jobRow(jobId);
    expect(row.status).toBe("running");
    expect(row.result).toBeNull();
  });
});

describe("releasing", () => {
  it("hands the job straight back, keeping the attempt counted", async () => {
    const jobId = await newJob(a);
    const c = must((await claim("stopping")) ?? undefined);
    const fence = { jobId, attempt: c.attempt };
    expect(await asA((tx) => releaseOcrJob(tx, fence, "worker shut down"))).toBe(true);
    expect(await asA((tx) => releaseOcrJob(tx, fence, "again"))).toBe(false);
    const again = must((await claim("next")) ?? undefined);
    expect(again).toMatchObject({ jobId, attempt: 2 });
  });
});

describe("failures", () => {
  /** Claims the next job (which must be jobId) and reports this attempt failed. */
  async function claimAndFail(jobId: string, error: string, retryable: boolean) {
    const c = must((await claim()) ?? undefined);
    expect(c.jobId).toBe(jobId);
    return asA((tx) =>
      failOcrJob(tx, { jobId, attempt: c.attempt }, { error, retryable, backoff }),
    );
  }

  it("a retryable failure goes back to the queue after a backoff", async () => {
    const jobId = await newJob(a);
    expect(await claimAndFail(jobId, "timed out", true)).toBe("queued");
    const row = await jobRow(jobId);
    // From the failure's own time (the database's clock, not this process's).
    const delay = row.runAfter.getTime() - row.updatedAt.getTime();
    // First retry: half to all of 30 s.
    expect(delay).toBeGreaterThan(10_000);
    expect(delay).toBeLessThan(31_000);
    expect(row.lastError).toBe("timed out");
    expect(await claim()).toBeNull();
  });

  it("backs off exponentially, capped", async () => {
    const jobId = await newJob(a, 10);
    await handle.db.update(ocrJobs).set({ attempts: 8 }).where(eq(ocrJobs.id, jobId));
    await claimAndFail(jobId, "x", true);
    const row = await jobRow(jobId);
    const delay = row.runAfter.getTime() - row.updatedAt.getTime();
    expect(delay).toBeGreaterThan(290_000);
    expect(delay).toBeLessThan(601_000);
  });

  it("dead-letters the job when its attempts are used up, keeping the last error", async () => {
    const jobId = await newJob(a, 2);
    for (const [attempt, expected] of [
      [1, "queued"],
      [2, "dead"],
    ] as const) {
      await handle.db.update(ocrJobs).set({ runAfter: sql`now()` }).where(eq(ocrJobs.id, jobId));
      expect(await claimAndFail(jobId, `try ${attempt}`, true)).toBe(expected);
    }
    const row = await jobRow(jobId);
    expect(row).toMatchObject({ status: "dead", lastError: "try 2", attempts: 2 });
    expect(row.completedAt).not.toBeNull();
  });

  it("a permanent failure (unreadable document) fails at once without retrying", async () => {
    const jobId = await newJob(a);
    expect(await claimAndFail(jobId, "the PDF could not be read", false)).toBe("failed");
    expect(await claim()).toBeNull();
  });
});
