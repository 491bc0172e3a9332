import { members, sessions } from "@remit/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillSeries } from "../src/health/series";
import { countsOf, summarize } from "../src/health/thresholds";
import {
  addMember,
  callerFor,
  createWorld,
  outcome,
  serviceCaller,
  signUp,
  type World,
} from "./harness";

/*
 * Tenant-context health: the brief's thresholds, a tenant's own view under RLS, the operator's
 * view across tenants through the allowlisted tenant_context_health(), and the /metrics
 * counters and histograms that the same traffic feeds. Real database, real sessions.
 */

const operatorSecret = "test-operator-secret-0123456789abcdefgh";
let world: World;

beforeAll(async () => {
  world = await createWorld({ operatorSecret });
});

afterAll(async () => {
  await world?.close();
});

const counts = (ok: number, repaired = 0, repairFailed = 0, denied = 0) =>
  countsOf({ ok, repaired, repairFailed, denied });

describe("thresholds (coverage > 99%, repair success > 95%, repair rate < 1%)", () => {
  it("no traffic is its own status, not ok or degraded", () => {
    expect(summarize(counts(0))).toMatchObject({ status: "no_traffic", coverageRate: null });
  });

  it("all ok, and no repairs at all, is ok", () => {
    expect(summarize(counts(1000))).toMatchObject({
      status: "ok",
      coverageRate: 1,
      repairRate: 0,
      repairSuccessRate: null,
      failing: [],
    });
  });

  it("each check fails on its own, at its boundary", () => {
    // 995 ok of 1000: coverage 99.5%, repair rate 0.5%, success 100%.
    expect(summarize(counts(995, 5)).status).toBe("ok");
    // Coverage exactly 99% is not above 99%; the repairs (1%) are not below 1% either.
    expect(summarize(counts(990, 10)).failing).toEqual(["coverage", "repairRate"]);
    // Denials cost coverage only.
    expect(summarize(counts(980, 0, 0, 20)).failing).toEqual(["coverage"]);
    // 19 of 20 repairs succeed: 95% is not above 95%.
    expect(summarize(counts(9980, 19, 1)).failing).toEqual(["repairSuccess"]);
    expect(summarize(counts(9980, 20, 0)).status).toBe("ok");
  });
});

describe("series", () => {
  it("has every bucket of the window, empty ones included", () => {
    const now = new Date("2026-01-01T10:05:30Z");
    const since = new Date("2026-01-01T10:00:30Z");
    const points = fillSeries(
      [{ start: new Date("2026-01-01T10:02:00Z"), ok: 3, repaired: 1, repairFailed: 0, denied: 0 }],
      { since, bucketSeconds: 60, now },
    );
    expect(points.map((p) => p.start.toISOString().slice(11, 16))).toEqual([
      "10:00",
      "10:01",
      "10:02",
      "10:03",
      "10:04",
      "10:05",
    ]);
    expect(points[2]).toMatchObject({ coverageRate: 0.75, repairRate: 0.25 });
    expect(points[0]?.coverageRate).toBeNull();
  });
});

describe("health.tenantContext and operator.tenantContextHealth", () => {
  let repairedUser = "";

  beforeAll(async () => {
    // Tenant A: three ok calls and one repair. Tenant B: one ok call. One denial: a member of A
    // removed while their session still names A.
    const a = await callerFor(world.deps, world.a.admin);
    for (let i = 0; i < 3; i++) await a.invoice.list({});
    await world.deps.db
      .update(sessions)
      .set({ activeOrganizationId: null })
      .where(eq(sessions.userId, world.a.verifier.userId));
    repairedUser = world.a.verifier.userId;
    await (await callerFor(world.deps, world.a.verifier)).invoice.list({});
    await (await callerFor(world.deps, world.b.admin)).invoice.list({});
    const leaver = await signUp(world.deps, "leaver");
    await addMember(world.deps, world.tenantA, leaver, "user");
    await world.deps.db.delete(members).where(eq(members.userId, leaver.userId));
    expect(await outcome(async () => (await callerFor(world.deps, leaver)).invoice.list({}))).toBe(
      "FORBIDDEN",
    );
    await world.deps.recorder.flush();
  });

  it("a tenant admin sees its own tenant's outcomes, rates, status and series", async () => {
    const health = await (await callerFor(world.deps, world.a.admin)).health.tenantContext({
      windowMinutes: 15,
    });
    // A's events: the seeding's own calls are none (seeding goes through better-auth), the three
    // ok lists, the repair, and the leaver's denial (it names A).
    expect(health.counts).toMatchObject({ ok: 3, repaired: 1, repairFailed: 0, denied: 1 });
    expect(health.status).toBe("degraded");
    expect(health.failing).toContain("coverage");
    expect(health.thresholds).toEqual({
      coverageMin: 0.99,
      repairSuccessMin: 0.95,
      repairRateMax: 0.01,
    });
    expect(health.bucketSeconds).toBe(60);
    expect(health.series.length).toBeGreaterThanOrEqual(15);
    const summed = health.series.reduce((n, p) => n + p.counts.total, 0);
    expect(summed).toBe(health.counts.total);
    expect(JSON.stringify(health)).not.toContain(world.tenantB);
    expect(JSON.stringify(health)).not.toContain(repairedUser);
  });

  it("another tenant's admin sees only its own", async () => {
    const health = await (await callerFor(world.deps, world.b.admin)).health.tenantContext({});
    expect(health.counts).toMatchObject({ ok: 1, repaired: 0, repairFailed: 0, denied: 0 });
    expect(health.status).toBe("ok");
  });

  it("an operator sees overall health and each tenant's, counts only", async () => {
    const operator = await serviceCaller(world.deps, operatorSecret);
    const { overall, tenants } = await operator.operator.tenantContextHealth({ windowMinutes: 15 });
    // Other test files may share the database: at least this file's events.
    expect(overall.counts.ok).toBeGreaterThanOrEqual(4);
    expect(overall.counts.repaired).toBeGreaterThanOrEqual(1);
    expect(overall.counts.denied).toBeGreaterThanOrEqual(1);
    expect(overall.series.reduce((n, p) => n + p.counts.total, 0)).toBe(overall.counts.total);
    const a = tenants.find((t) => t.tenantId === world.tenantA);
    const b = tenants.find((t) => t.tenantId === world.tenantB);
    expect(a?.counts).toMatchObject({ ok: 3, repaired: 1, denied: 1 });
    expect(a?.status).toBe("degraded");
    expect(b?.counts).toMatchObject({ ok: 1 });
    expect(b?.status).toBe("ok");
    for (const who of [world.a.admin, world.b.admin]) {
      const person = await callerFor(world.deps, who);
      expect(await outcome(() => person.operator.tenantContextHealth({}))).toBe("UNAUTHORIZED");
    }
  });

  it("the cached overall health for /readyz counts across tenants", async () => {
    const overall = await world.deps.tenantContextHealth();
    expect(overall.windowMinutes).toBe(5);
    expect(overall.counts.total).toBeGreaterThanOrEqual(6);
  });
});

describe("metrics", () => {
  it("counts procedures by path and code, outcomes, violations and queue depth", async () => {
    const b = await callerFor(world.deps, world.b.admin);
    await b.invoice.list({});
    expect(await outcome(() => b.invoice.get({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    // A forged tenant header is a violation, counted by kind.
    const forged = await callerFor(world.deps, {
      ...world.b.admin,
      headers: new Headers({
        authorization: `Bearer ${world.b.admin.token}`,
        "x-tenant-id": world.tenantA,
      }),
    });
    await forged.invoice.list({});
    const { body } = await world.deps.metrics.scrape();
    expect(body).toMatch(
      /remit_trpc_request_duration_seconds_count\{path="invoice\.list",code="OK"\} [1-9]/,
    );
    expect(body).toMatch(
      /remit_trpc_request_duration_seconds_count\{path="invoice\.get",code="NOT_FOUND"\} [1-9]/,
    );
    expect(body).toMatch(/remit_tenant_context_outcomes_total\{outcome="ok"\} [1-9]/);
    expect(body).toMatch(/remit_tenant_context_outcomes_total\{outcome="repaired"\} [1-9]/);
    expect(body).toMatch(/remit_tenant_context_outcomes_total\{outcome="denied"\} [1-9]/);
    expect(body).toMatch(/remit_isolation_violations_total\{kind="forged_tenant_header"\} [1-9]/);
    expect(body).toMatch(/remit_ocr_queue_jobs\{status="queued"\} \d+/);
    expect(body).toMatch(/remit_ocr_jobs_leased \d+/);
    expect(body).toMatch(/remit_tenant_context_health_ratio\{rate="coverage"\} [\d.]+/);
    for (const secret of [
      world.tenantA,
      world.tenantB,
      world.a.admin.userId,
      world.b.admin.email,
    ]) {
      expect(body).not.toContain(secret);
    }
  });
});
