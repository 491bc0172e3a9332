import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { auditLog, invoices, isolationViolations } from "@remit/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createCaller,
  createContext,
  IsolationMonitor,
  signWebhookBody,
  ViolationAlerter,
} from "../src";
import type { Violation } from "../src/monitor/violation";
import { can, createCallerFactory, router } from "../src/trpc";
import {
  addMember,
  callerFor,
  createWorld,
  memberId,
  outcome,
  serviceCaller,
  signUp,
  type World,
  workerSecret,
} from "./harness";
import { quiesceQueue, uploadedDraft } from "./job-fixtures";

/*
 * The isolation monitor against a real database: each kind of violation is provoked through the
 * real procedures (or, for an RLS denial, the real `can` builder), and found afterwards
 * in isolation_violations and in the right tenant's audit log.
 */

const operatorSecret = "test-operator-secret-0123456789abcdefgh";
let world: World;

beforeAll(async () => {
  world = await createWorld({ operatorSecret });
});

afterAll(async () => {
  await world?.close();
});

/** The violations recorded for one request id, once the monitor has written them. */
async function violationsOf(requestId: string) {
  await world.deps.monitor.flush();
  return world.handle.db
    .select()
    .from(isolationViolations)
    .where(eq(isolationViolations.requestId, requestId));
}

async function auditRowsOf(tenantId: string, requestId: string) {
  return world.handle.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.requestId, requestId),
        eq(auditLog.action, "isolation.violation"),
      ),
    );
}

/** A caller with a known request id, so its violations can be found. */
async function tracedCaller(headers: Headers) {
  const requestId = `t-${crypto.randomUUID()}`;
  const ctx = await createContext(world.deps, { headers, requestId, ip: "127.0.0.9" });
  return { caller: createCaller(ctx), requestId };
}

describe("recorded violations", () => {
  it("another tenant's id answered NOT_FOUND is probed afterwards; a random id is not", async () => {
    const a = await callerFor(world.deps, world.a.admin);
    const invoice = await a.invoice.create({ invoiceNumber: "VICTIM", lineItems: [] });
    const { caller, requestId } = await tracedCaller(world.b.admin.headers);
    expect(await outcome(() => caller.invoice.get({ id: invoice.id }))).toBe("NOT_FOUND");
    const random = await tracedCaller(world.b.admin.headers);
    expect(await outcome(() => random.caller.invoice.get({ id: crypto.randomUUID() }))).toBe(
      "NOT_FOUND",
    );

    const [row] = await violationsOf(requestId);
    expect(row).toMatchObject({
      kind: "cross_tenant_id",
      actorType: "user",
      actorId: world.b.admin.userId,
      callerTenantId: world.tenantB,
      // Audited in no tenant: the operators' record is the only one ([1/7], an existence oracle).
      auditTenantId: null,
      procedure: "invoice.get",
      target: `invoices:${invoice.id}`,
    });
    expect(await violationsOf(random.requestId)).toEqual([]);
    // What B can read is the same for A's real id and for a random one: nothing, in B's audit
    // as in A's. Operators keep the full record (operator.recentViolations, below).
    expect(await auditRowsOf(world.tenantB, requestId)).toEqual([]);
    expect(await auditRowsOf(world.tenantB, random.requestId)).toEqual([]);
    expect(await auditRowsOf(world.tenantA, requestId)).toEqual([]);
    const listed = await (await callerFor(world.deps, world.b.admin)).audit.list({
      action: "isolation.violation",
    });
    expect(listed.items.some((r) => r.requestId === requestId)).toBe(false);
    const operator = await serviceCaller(world.deps, operatorSecret);
    const seen = await operator.operator.recentViolations({ requestId });
    expect(seen.map((v) => v.target)).toEqual([`invoices:${invoice.id}`]);
  });

  it("another tenant's mail address and IMAP mailbox ids are probed too (drizzle/0013)", async () => {
    const a = await callerFor(world.deps, world.a.admin);
    const address = await a.mail.createAddress({ label: "victim" });
    const mailbox = await a.imapMailbox.create({
      host: "127.0.0.1",
      port: 1,
      username: "victim",
      password: "victim-password",
      enabled: false,
    });
    const calls = [
      [(c: typeof a) => c.mail.revokeAddress({ id: address.id }), `mail_addresses:${address.id}`],
      [(c: typeof a) => c.mail.rotateAddress({ id: address.id }), `mail_addresses:${address.id}`],
      [(c: typeof a) => c.imapMailbox.get({ id: mailbox.id }), `mail_imap_mailboxes:${mailbox.id}`],
      [
        (c: typeof a) => c.imapMailbox.delete({ id: mailbox.id }),
        `mail_imap_mailboxes:${mailbox.id}`,
      ],
    ] as const;
    for (const [call, target] of calls) {
      const { caller, requestId } = await tracedCaller(world.b.admin.headers);
      expect(await outcome(() => call(caller))).toBe("NOT_FOUND");
      const rows = await violationsOf(requestId);
      expect(rows.map((v) => [v.kind, v.target])).toEqual([["cross_tenant_id", target]]);
    }
    // A random id is answered the same and recorded as nothing.
    const random = await tracedCaller(world.b.admin.headers);
    expect(await outcome(() => random.caller.imapMailbox.get({ id: crypto.randomUUID() }))).toBe(
      "NOT_FOUND",
    );
    expect(await violationsOf(random.requestId)).toEqual([]);
  });

  it("a cross-tenant supplier reference (foreign key) and a member id are probed too", async () => {
    const a = await callerFor(world.deps, world.a.admin);
    const supplier = await a.supplier.create({ name: "A's supplier" });
    const { caller, requestId } = await tracedCaller(world.b.admin.headers);
    expect(
      await outcome(() => caller.invoice.create({ supplierId: supplier?.id ?? "", lineItems: [] })),
    ).toBe("NOT_FOUND");
    const targets = (await violationsOf(requestId)).map((v) => v.target);
    expect(targets).toEqual([`suppliers:${supplier?.id}`]);

    const memberOfA = await memberId(world.deps, world.tenantA, world.a.user.userId);
    const second = await tracedCaller(world.b.admin.headers);
    expect(await outcome(() => second.caller.member.remove({ memberId: memberOfA }))).toBe(
      "NOT_FOUND",
    );
    expect((await violationsOf(second.requestId)).map((v) => v.target)).toEqual([
      `members:${memberOfA}`,
    ]);
  });

  it("an RLS denial (WITH CHECK) surfacing from a procedure", async () => {
    // A procedure that forgets whose tenant it writes to: the database refuses (42501).
    const careless = router({
      write: can("invoice:create").mutation(({ ctx }) =>
        ctx.db.insert(invoices).values({
          tenantId: world.tenantA,
          createdBy: ctx.userId,
          status: "draft",
        }),
      ),
    });
    const requestId = `t-${crypto.randomUUID()}`;
    const ctx = await createContext(world.deps, {
      headers: world.b.admin.headers,
      requestId,
      ip: null,
    });
    const call = createCallerFactory(careless)(ctx);
    expect(await outcome(() => call.write())).toBe("FORBIDDEN");
    const [row] = await violationsOf(requestId);
    expect(row).toMatchObject({
      kind: "rls_denied",
      callerTenantId: world.tenantB,
      procedure: "write",
      target: "invoices",
      detail: { sqlstate: "42501", withCheck: true },
    });
    expect(await auditRowsOf(world.tenantB, requestId)).toHaveLength(1);
  });

  it("a tenant in the input or the headers that is not the caller's", async () => {
    const headers = new Headers(world.b.user.headers);
    headers.set("x-tenant-id", world.tenantA);
    const { caller, requestId } = await tracedCaller(headers);
    const created = await caller.invoice.create({
      lineItems: [],
      tenantId: world.tenantA,
    } as never);
    expect(created.tenantId).toBe(world.tenantB);
    const kinds = (await violationsOf(requestId)).map((v) => `${v.kind}:${v.targetTenantId}`);
    expect(kinds.sort()).toEqual([
      `forged_tenant_header:${world.tenantA}`,
      `forged_tenant_input:${world.tenantA}`,
    ]);
  });

  it("a JWT whose tenant the caller is not a member of, and a session after removal", async () => {
    const person = await signUp(world.deps, "leaver");
    await addMember(world.deps, world.tenantA, person, "user");
    const { token } = await world.deps.auth.api.getToken({ headers: person.headers });
    await world.deps.auth.api.removeMember({
      headers: world.a.admin.headers,
      body: { memberIdOrEmail: person.email, organizationId: world.tenantA },
    });
    const jwt = await tracedCaller(new Headers({ authorization: `Bearer ${token}` }));
    expect(await outcome(() => jwt.caller.invoice.list({}))).toBe("FORBIDDEN");
    const [row] = await violationsOf(jwt.requestId);
    // The caller has no tenant now; the one its token names gets the audit row.
    expect(row).toMatchObject({
      kind: "tenant_claim_mismatch",
      actorId: person.userId,
      targetTenantId: world.tenantA,
      auditTenantId: world.tenantA,
      detail: { reason: "membership_gone", via: "token" },
    });
    const session = await tracedCaller(person.headers);
    expect(await outcome(() => session.caller.invoice.list({}))).toBe("FORBIDDEN");
    expect((await violationsOf(session.requestId))[0]).toMatchObject({
      kind: "tenant_claim_mismatch",
      auditTenantId: null,
    });
  });

  it("a tampered JWT lands in the tenant it names; a made-up one, with no tenant, still lands", async () => {
    const { token } = await world.deps.auth.api.getToken({ headers: world.a.user.headers });
    const [h, p, s] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, tenant_id: world.tenantB })).toString("base64url")}.${s}`;
    const tampered = await tracedCaller(new Headers({ authorization: `Bearer ${forged}` }));
    expect(await outcome(() => tampered.caller.invoice.list({}))).toBe("UNAUTHORIZED");
    expect((await violationsOf(tampered.requestId))[0]).toMatchObject({
      kind: "invalid_credential",
      actorType: "anonymous",
      targetTenantId: world.tenantB,
      auditTenantId: world.tenantB,
    });
    const madeUp = await tracedCaller(new Headers({ authorization: "Bearer aaa.bbb.ccc" }));
    expect(await outcome(() => madeUp.caller.invoice.list({}))).toBe("UNAUTHORIZED");
    expect((await violationsOf(madeUp.requestId))[0]).toMatchObject({
      kind: "invalid_credential",
      auditTenantId: null,
      procedure: "invoice.list",
    });
  });

  it("a job token used for another job, and a forged job token", async () => {
    await quiesceQueue(world);
    await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await (await serviceCaller(world.deps, workerSecret)).job.claim({
      workerId: "w",
    });
    if (!claimed) throw new Error("nothing claimed");
    const other = crypto.randomUUID();
    const { caller, requestId } = await tracedCaller(
      new Headers({ authorization: `Bearer ${claimed.token}` }),
    );
    expect(await outcome(() => caller.job.heartbeat({ jobId: other }))).toBe("NOT_FOUND");
    expect((await violationsOf(requestId))[0]).toMatchObject({
      kind: "job_token_mismatch",
      actorType: "service",
      callerTenantId: world.tenantA,
      target: `ocr_jobs:${other}`,
    });
    const bad = `${claimed.token.slice(0, -4)}AAAA`;
    const forged = await tracedCaller(new Headers({ authorization: `Bearer ${bad}` }));
    expect(await outcome(() => forged.caller.job.heartbeat({ jobId: claimed.job.id }))).toBe(
      "UNAUTHORIZED",
    );
    expect((await violationsOf(forged.requestId))[0]).toMatchObject({
      kind: "invalid_job_token",
      targetTenantId: world.tenantA,
    });
  });
});

describe("operator.recentViolations", () => {
  it("opens with the operator secret only, newest first, with since and kind filters", async () => {
    const since = new Date(Date.now() - 1000);
    const { caller, requestId } = await tracedCaller(
      new Headers({ authorization: "Bearer not.a.token" }),
    );
    await outcome(() => caller.health.tenantContext({}));
    await world.deps.monitor.flush();
    const operator = await serviceCaller(world.deps, operatorSecret);
    const rows = await operator.operator.recentViolations({ limit: 50, since });
    expect(rows.some((r) => r.requestId === requestId)).toBe(true);
    expect(rows.every((r) => r.createdAt >= since)).toBe(true);
    const sorted = [...rows].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
    expect(rows.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
    const onlyJobs = await operator.operator.recentViolations({ kind: "job_token_mismatch" });
    expect(onlyJobs.every((r) => r.kind === "job_token_mismatch")).toBe(true);
    for (const bearer of [workerSecret, "wrong-operator-secret-0123456789abcdef"]) {
      const someone = await serviceCaller(world.deps, bearer);
      expect(await outcome(() => someone.operator.recentViolations({}))).toBe("UNAUTHORIZED");
    }
    const admin = await callerFor(world.deps, world.a.admin);
    expect(await outcome(() => admin.operator.recentViolations({}))).toBe("UNAUTHORIZED");
  });
});

describe("recording never fails a request", () => {
  it("a batch the database refuses is dropped and counted", async () => {
    const monitor = new IsolationMonitor(world.handle.db, { maxBatch: 5000 });
    const one: Violation = {
      kind: "invalid_credential",
      actorType: "anonymous",
      actorId: null,
      callerTenantId: null,
      targetTenantId: null,
      procedure: "x",
      target: null,
      requestId: null,
      ip: null,
    };
    // record_isolation_violation() refuses more than 1000 at once.
    for (let i = 0; i < 1001; i++) monitor.record(one);
    expect(await monitor.flush()).toBe(0);
    expect(monitor.dropped).toBe(1001);
  });
});

describe("the webhook", () => {
  let received: Array<{ body: string; signature: string | undefined }> = [];
  let failFirst = 0;
  let url = "";
  const server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      if (failFirst > 0) {
        failFirst--;
        response.writeHead(503).end();
        return;
      }
      received.push({ body, signature: request.headers["x-remit-signature"] as string });
      response.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
    failFirst = 0;
  });

  const violation = (i: number): Violation => ({
    kind: i % 2 ? "cross_tenant_id" : "invalid_file_link",
    actorType: "user",
    actorId: crypto.randomUUID(),
    callerTenantId: null,
    targetTenantId: null,
    procedure: "invoice.get",
    target: null,
    requestId: `r${i}`,
    ip: null,
  });

  it("alerts once when a minute's count reaches the threshold, signed, retried, once a minute", async () => {
    let clock = 1_000_000;
    const secret = "webhook-secret-0123456789";
    const alerter = new ViolationAlerter(
      { url, secret, thresholdPerMinute: 3, attempts: 4, retryBaseMs: 20 },
      () => clock,
    );
    failFirst = 2; // the receiver is down for the first two attempts
    alerter.observe(violation(1));
    alerter.observe(violation(2));
    await alerter.idle();
    expect(received).toHaveLength(0);
    for (let i = 3; i <= 10; i++) alerter.observe(violation(i));
    await alerter.idle();
    expect(received).toHaveLength(1);
    const [alert] = received;
    expect(alert?.signature).toBe(signWebhookBody(secret, alert?.body ?? ""));
    expect(JSON.parse(alert?.body ?? "{}")).toMatchObject({
      event: "isolation.violations",
      threshold: 3,
      count: 3,
      windowSeconds: 60,
      byKind: { cross_tenant_id: 2, invalid_file_link: 1 },
    });
    expect(alerter.sent).toBe(1);

    // Within the same minute: no second alert. A minute later, the next burst alerts again.
    clock += 30_000;
    for (let i = 0; i < 5; i++) alerter.observe(violation(i));
    await alerter.idle();
    expect(received).toHaveLength(1);
    clock += 31_000;
    alerter.observe(violation(99));
    await alerter.idle();
    expect(received).toHaveLength(2);
    // Only the last minute counts: the first burst has slid out of the window.
    expect(JSON.parse(received[1]?.body ?? "{}").count).toBe(6);
  });

  it("gives up after its attempts, and the request path never waits for it", async () => {
    const alerter = new ViolationAlerter({
      url,
      secret: "webhook-secret-0123456789",
      thresholdPerMinute: 1,
      attempts: 3,
      retryBaseMs: 10,
    });
    failFirst = 10;
    // The request path never waits: observe() returns nothing to await, and when it returns
    // the receiver has not even been asked yet (it counts down failFirst on every request).
    expect(alerter.observe(violation(1))).toBeUndefined();
    expect(failFirst).toBe(10);
    await alerter.idle();
    expect(alerter.failed).toBe(1);
    expect(received).toHaveLength(0);
  });

  it("is wired from the settings: the monitor feeds it every violation", async () => {
    const hooked = await createWorld({
      violations: {
        webhook: { url, secret: "webhook-secret-0123456789", thresholdPerMinute: 2 },
      },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const ctx = await createContext(hooked.deps, {
          headers: new Headers({ authorization: "Bearer forged.jwt.here" }),
        });
        await outcome(() => createCaller(ctx).tenant.mine());
      }
      await hooked.deps.monitor.alerter?.idle();
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]?.body ?? "{}").byKind).toEqual({ invalid_credential: 2 });
    } finally {
      await hooked.close();
    }
  });
});
