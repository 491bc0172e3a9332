import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiDeps, createApiDeps } from "../src";
import {
  baseURL,
  createWorld,
  serviceCaller,
  testStore,
  type World,
  workerSecret,
} from "./harness";
import { quiesceQueue, uploadedDraft } from "./job-fixtures";

/*
 * job.claim with waitSeconds: an idle worker's call is held by one API process and woken by a
 * job announced in another (JobSignal over LISTEN/NOTIFY), not by its time running out. The
 * wait here is a minute, and the assertions are on how the wait ended, not on how long it took.
 */

let world: World;
let other: ApiDeps;

beforeAll(async () => {
  world = await createWorld();
  // A second API process on the same database: its own deps, its own JobSignal.
  other = createApiDeps({
    db: world.handle.db,
    store: testStore(),
    secret: "x".repeat(40),
    baseURL,
    workerSecret,
    fileLinks: { secret: "y".repeat(40), downloadUrl: `${baseURL}/api/files` },
    notifications: world.handle.notifications,
    queue: { maxClaimWaitSeconds: 60 },
  });
  await quiesceQueue(world);
});

afterAll(async () => {
  await other?.recorder.flush();
  await world?.close();
});

describe("job.claim with a wait", () => {
  it("answers at once with a job that is already queued", async () => {
    const { jobId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await (await serviceCaller(other, workerSecret)).job.claim({
      workerId: "w-ready",
      waitSeconds: 60,
    });
    expect(claimed?.job.id).toBe(jobId);
    expect(other.jobSignal.counts.signal + other.jobSignal.counts.timeout).toBe(0);
  });

  it("holds an idle claim until another process announces a job, then claims it", async () => {
    const waiting = other.jobSignal.nextWait();
    const claim = (await serviceCaller(other, workerSecret)).job.claim({
      workerId: "w-idle",
      waitSeconds: 60,
    });
    await waiting;
    expect(other.jobSignal.waiting).toBe(1);
    // Queued and announced by the first process (as ingestion does after its commit).
    const { jobId } = await uploadedDraft(world, world.tenantB, world.b.user);
    await world.deps.jobSignal.announce();
    const claimed = await claim;
    expect(claimed?.job.id).toBe(jobId);
    expect(other.jobSignal.counts).toMatchObject({ signal: 1, timeout: 0 });
    expect(other.jobSignal.waiting).toBe(0);
  });

  it("without waitSeconds answers null at once when the queue is empty", async () => {
    const claimed = await (await serviceCaller(other, workerSecret)).job.claim({
      workerId: "w-now",
    });
    expect(claimed).toBeNull();
    expect(other.jobSignal.waiting).toBe(0);
  });
});
