import { ocrJobs, suppliers } from "@remit/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createCaller, createContext, handleDownload, handlePagePreview } from "../src";
import { issueJobToken } from "../src/jobs/job-token";
import {
  callerFor,
  createWorld,
  outcome,
  type Person,
  serviceCaller,
  type World,
  workerSecret,
} from "./harness";
import { extractionOf, quiesceQueue, uploadedDraft } from "./job-fixtures";

/*
 * The worker's side of the queue, through the procedures, with a real database: claim with the
 * worker credential, then everything with the job token of that one attempt.
 */

let world: World;
// Waiting for a subscription to register is waiting for a fact, polled; the bound is only how
// long a stuck run takes to fail (vi.waitFor's default of 1 s is a bet on a busy machine).
const subscribed = { timeout: 30_000, interval: 10 };

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

beforeEach(async () => {
  await quiesceQueue(world);
});

const worker = () => serviceCaller(world.deps, workerSecret);

async function claimNext(workerId = "w1") {
  const claimed = await (await worker()).job.claim({ workerId });
  if (!claimed) throw new Error("nothing to claim");
  return { ...claimed, as: await serviceCaller(world.deps, claimed.token) };
}

async function expireLease(jobId: string) {
  await world.handle.db
    .update(ocrJobs)
    .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
    .where(eq(ocrJobs.id, jobId));
}

describe("claiming", () => {
  it("needs the worker credential", async () => {
    const wrong = await serviceCaller(world.deps, "not-the-worker-secret");
    expect(await outcome(() => wrong.job.claim({ workerId: "w" }))).toBe("UNAUTHORIZED");
    const person = await callerFor(world.deps, world.a.admin);
    expect(await outcome(() => person.job.claim({ workerId: "w" }))).toBe("UNAUTHORIZED");
  });

  it("returns the job, a token for it and a link to exactly its document", async () => {
    const { invoiceId, jobId, bytes } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    expect(claimed.job).toMatchObject({
      id: jobId,
      invoiceId,
      attempt: 1,
      contentType: "application/pdf",
    });
    const download = (bearer: string) =>
      handleDownload(
        world.deps,
        new Request(claimed.documentUrl, { headers: { authorization: `Bearer ${bearer}` } }),
      );
    const response = await download(claimed.token);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    // The link is the job's: neither the worker secret nor a member of the tenant can use it.
    expect((await download(workerSecret)).status).toBe(404);
    expect((await download(world.a.user.token)).status).toBe(404);
    expect(await (await worker()).job.claim({ workerId: "w2" })).toBeNull();
  });
});

describe("a job token opens its own job and nothing else", () => {
  it("is NOT_FOUND on another job of the same tenant, and on another tenant's job", async () => {
    const mine = await uploadedDraft(world, world.tenantA, world.a.user);
    const sibling = await uploadedDraft(world, world.tenantA, world.a.user);
    const foreign = await uploadedDraft(world, world.tenantB, world.b.user);
    const claimed = await claimNext();
    expect(claimed.job.id).toBe(mine.jobId);
    for (const jobId of [sibling.jobId, foreign.jobId]) {
      expect(await outcome(() => claimed.as.job.heartbeat({ jobId }))).toBe("NOT_FOUND");
      expect(
        await outcome(() =>
          claimed.as.job.complete({ jobId, extraction: extractionOf({ total: "1.00" }) }),
        ),
      ).toBe("NOT_FOUND");
      expect(
        await outcome(() => claimed.as.job.fail({ jobId, error: "x", retryable: false })),
      ).toBe("NOT_FOUND");
    }
    const rows = await world.handle.db.select().from(ocrJobs).where(eq(ocrJobs.id, foreign.jobId));
    expect(rows[0]?.status).toBe("queued");
  });

  it("opens no person's procedure and cannot claim", async () => {
    await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    expect(await outcome(() => claimed.as.invoice.list({}))).toBe("UNAUTHORIZED");
    expect(await outcome(() => claimed.as.invoice.get({ id: claimed.job.invoiceId }))).toBe(
      "UNAUTHORIZED",
    );
    expect(await outcome(() => claimed.as.job.claim({ workerId: "w" }))).toBe("UNAUTHORIZED");
  });

  it("is refused when tampered with, expired, or signed with another key", async () => {
    await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    const [head, body, signature] = claimed.token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, tid: world.tenantB })).toString(
      "base64url",
    );
    const expired = await issueJobToken(
      world.deps.service.jobTokenKey,
      world.deps.service.issuer,
      { ...claimed.job, jobId: claimed.job.id, tenantId: world.tenantA, workerId: "w1" },
      -10,
    );
    const otherKey = await issueJobToken(
      new Uint8Array(32),
      world.deps.service.issuer,
      { ...claimed.job, jobId: claimed.job.id, tenantId: world.tenantA, workerId: "w1" },
      60,
    );
    for (const token of [`${head}.${forgedBody}.${signature}`, expired.token, otherKey.token]) {
      const as = await serviceCaller(world.deps, token);
      expect(await outcome(() => as.job.heartbeat({ jobId: claimed.job.id }))).toBe("UNAUTHORIZED");
    }
  });
});

describe("completing", () => {
  it("fills the draft's fields and line items and matches the supplier by tax id", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    const supplier = await admin.supplier.create({
      name: "Müller Bürobedarf GmbH",
      taxId: "DE 811 907 980",
    });
    const { invoiceId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    const result = await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({
        supplierName: "Mueller Buero",
        supplierTaxId: "DE811907980",
        invoiceNumber: "RE-2026-17",
        invoiceDate: "2026-11-02",
        dueDate: "2026-12-02",
        currency: "EUR",
        subtotal: "100.00",
        tax: "19.00",
        total: "119.00",
        lines: [{ description: "Paper", quantity: "4", unitPrice: "25.00", amount: "100.00" }],
      }),
    });
    expect(result).toMatchObject({ applied: true, supplier: "tax_id", lineItems: 1 });
    const invoice = await admin.invoice.get({ id: invoiceId });
    expect(invoice).toMatchObject({
      supplierId: supplier?.id,
      invoiceNumber: "RE-2026-17",
      invoiceDate: "2026-11-02",
      total: "119.00",
      taxAmount: "19.00",
      warnings: [],
    });
    expect(invoice.lineItems).toMatchObject([{ description: "Paper", amount: "100.00" }]);
    expect(invoice.ocr).toMatchObject({ status: "succeeded", progress: 100 });
    expect(invoice.extraction).toMatchObject({ fields: { total: { value: "119.00", page: 1 } } });
  });

  it("never overwrites a field a person edited, and keeps invalid values out of columns", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const { invoiceId } = await uploadedDraft(world, world.tenantA, world.a.user);
    await user.invoice.update({ id: invoiceId, data: { total: "50.00", invoiceNumber: "MINE" } });
    const claimed = await claimNext();
    await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({
        invoiceNumber: "OCR-1",
        total: "99.00",
        invoiceDate: "2026-02-30",
        currency: "euro",
      }),
    });
    const invoice = await user.invoice.get({ id: invoiceId });
    expect(invoice).toMatchObject({
      invoiceNumber: "MINE",
      total: "50.00",
      invoiceDate: null,
      currency: null,
    });
  });

  it("adopts a global supplier matched by name, or proposes a new one", async () => {
    const [global] = await world.handle.db
      .insert(suppliers)
      .values({ tenantId: null, name: "Deutsche Telekom AG", taxId: null })
      .returning();
    const first = await uploadedDraft(world, world.tenantA, world.a.user);
    let claimed = await claimNext();
    const adopted = await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({ supplierName: "DEUTSCHE TELEKOM AG." }),
    });
    expect(adopted).toMatchObject({ supplier: "name" });
    const user = await callerFor(world.deps, world.a.user);
    const invoice = await user.invoice.get({ id: first.invoiceId });
    expect(invoice.supplier).toMatchObject({
      name: "Deutsche Telekom AG",
      globalSupplierId: global?.id,
    });

    const second = await uploadedDraft(world, world.tenantA, world.a.user);
    claimed = await claimNext();
    const proposed = await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({
        supplierName: "Zyxwv Unknown Widgets Ltd",
        supplierTaxId: "GB999",
      }),
    });
    expect(proposed).toMatchObject({ supplier: "proposed" });
    const unmatched = await user.invoice.get({ id: second.invoiceId });
    expect(unmatched.supplierId).toBeNull();
    expect(unmatched.extraction).toMatchObject({
      supplierMatch: { kind: "proposed", name: "Zyxwv Unknown Widgets Ltd", taxId: "GB999" },
    });
  });

  it("flags a possible duplicate: same supplier and number in the tenant", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    const supplier = await admin.supplier.create({
      name: "Duplicate Checkers Ltd",
      taxId: "GB123456789",
    });
    const original = await admin.invoice.create({
      supplierId: supplier?.id,
      invoiceNumber: "D-1",
      lineItems: [],
    });
    const { invoiceId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    const result = await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({ supplierTaxId: "GB 123 456 789", invoiceNumber: "D-1" }),
    });
    expect(result.applied && result.possibleDuplicateOf).toBe(original.id);
    const invoice = await admin.invoice.get({ id: invoiceId });
    expect(invoice.warnings).toContain(
      "possible duplicate: another invoice has the same supplier and number",
    );
    const listed = await admin.invoice.list({});
    expect(listed.items.find((i) => i.id === invoiceId)).toMatchObject({
      possibleDuplicateOf: original.id,
      ocrStatus: "succeeded",
    });
  });

  it("is idempotent: a replay, or a stale attempt's late result, changes nothing", async () => {
    const { invoiceId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const stale = await claimNext("slow");
    await expireLease(stale.job.id);
    const fresh = await claimNext("fast");
    expect(fresh.job.attempt).toBe(2);
    expect(await outcome(() => stale.as.job.heartbeat({ jobId: stale.job.id }))).toBe("CONFLICT");
    const won = await fresh.as.job.complete({
      jobId: fresh.job.id,
      extraction: extractionOf({ total: "10.00" }),
    });
    expect(won.applied).toBe(true);
    const late = await stale.as.job.complete({
      jobId: stale.job.id,
      extraction: extractionOf({ total: "99.00" }),
    });
    const replay = await fresh.as.job.complete({
      jobId: fresh.job.id,
      extraction: extractionOf({ total: "77.00" }),
    });
    expect(late).toEqual({ applied: false });
    expect(replay).toEqual({ applied: false });
    const user = await callerFor(world.deps, world.a.user);
    expect((await user.invoice.get({ id: invoiceId })).total).toBe("10.00");
    const audits = await (await callerFor(world.deps, world.a.admin)).audit.list({});
    expect(
      audits.items.filter((a) => a.entityId === invoiceId && a.action === "invoice.extracted"),
    ).toHaveLength(1);
  });

  it("keeps a result for an invoice past draft as a proposal the reviewer can apply", async () => {
    const user = await callerFor(world.deps, world.a.user);
    const { invoiceId, jobId } = await uploadedDraft(world, world.tenantA, world.a.user);
    await user.invoice.update({
      id: invoiceId,
      data: { total: "5.00", invoiceNumber: "KEEP", invoiceDate: "2026-11-03", currency: "EUR" },
    });
    const supplier = await (await callerFor(world.deps, world.a.admin)).supplier.create({
      name: "Proposal Supplies",
    });
    await user.invoice.update({ id: invoiceId, data: { supplierId: supplier?.id } });
    // The submit gate: not while the document is still being read.
    expect(await outcome(() => user.invoice.submit({ id: invoiceId }))).toBe("PRECONDITION_FAILED");
    // The reading failed for good; the invoice is submitted as typed; then it is read again.
    await world.handle.db.update(ocrJobs).set({ status: "dead" }).where(eq(ocrJobs.id, jobId));
    await user.invoice.submit({ id: invoiceId, acknowledgeWarnings: true });
    await world.handle.db.update(ocrJobs).set({ status: "queued" }).where(eq(ocrJobs.id, jobId));
    const claimed = await claimNext();
    await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({ total: "6.00", invoiceNumber: "N" }),
    });
    const invoice = await user.invoice.get({ id: invoiceId });
    expect(invoice).toMatchObject({
      status: "pending_verification",
      total: "5.00",
      invoiceNumber: "KEEP",
      ocrProposal: { header: { total: "6.00", invoiceNumber: "N" } },
    });
    expect(invoice.extraction).toMatchObject({ fields: { total: { value: "6.00" } } });
    expect(invoice.review.fieldSources.total).toEqual({ source: "person" });
    const applied = await user.invoice.applyProposal({ id: invoiceId });
    expect(applied).toMatchObject({ total: "6.00", invoiceNumber: "N", ocrProposal: null });
    const after = await user.invoice.get({ id: invoiceId });
    expect(after.review.fieldSources.total).toEqual({ source: "ocr", confidence: 0.9 });
    expect(await outcome(() => user.invoice.applyProposal({ id: invoiceId }))).toBe(
      "PRECONDITION_FAILED",
    );
  });
});

describe("failing", () => {
  it("retries after a backoff, then dead-letters with the last error on the invoice", async () => {
    const { invoiceId, jobId } = await uploadedDraft(world, world.tenantA, world.a.user);
    await world.handle.db.update(ocrJobs).set({ maxAttempts: 2 }).where(eq(ocrJobs.id, jobId));
    let claimed = await claimNext();
    expect(
      await claimed.as.job.fail({ jobId, error: "page 1 timed out", retryable: true }),
    ).toEqual({
      status: "queued",
    });
    expect(await (await worker()).job.claim({ workerId: "w" })).toBeNull();
    await world.handle.db
      .update(ocrJobs)
      .set({ runAfter: sql`now()` })
      .where(eq(ocrJobs.id, jobId));
    claimed = await claimNext();
    expect(
      await claimed.as.job.fail({ jobId, error: "page 1 timed out again", retryable: true }),
    ).toEqual({
      status: "dead",
    });
    const invoice = await (await callerFor(world.deps, world.a.user)).invoice.get({
      id: invoiceId,
    });
    expect(invoice.ocr).toMatchObject({
      status: "dead",
      attempts: 2,
      lastError: "page 1 timed out again",
    });
  });

  it("fails at once, with the reason on the invoice, when the document cannot be read", async () => {
    const { invoiceId, jobId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    await claimed.as.job.fail({
      jobId,
      error: "the PDF could not be read: no pages",
      retryable: false,
    });
    const invoice = await (await callerFor(world.deps, world.a.user)).invoice.get({
      id: invoiceId,
    });
    expect(invoice.ocr).toMatchObject({
      status: "failed",
      lastError: "the PDF could not be read: no pages",
    });
  });
});

describe("live events", () => {
  it("reach the tenant's subscribers only", async () => {
    const abort = new AbortController();
    const subscriber = async (person: Person) =>
      createCaller(await createContext(world.deps, { headers: person.headers }), {
        signal: abort.signal,
      });
    const streamA = await (await subscriber(world.a.user)).events.invoices();
    const streamB = await (await subscriber(world.b.user)).events.invoices();
    const seenA: Array<{ kind: string; invoiceId?: string }> = [];
    const seenB: unknown[] = [];
    const drainA = (async () => {
      for await (const event of streamA) {
        seenA.push(event);
        if (event.kind === "job.succeeded") return;
      }
    })();
    const drainB = (async () => {
      for await (const event of streamB) seenB.push(event);
    })();
    // Both streams are listening once their first pull has run: wait for the subscriptions.
    await vi.waitFor(() => {
      expect(world.deps.events.listenerCount(world.tenantA)).toBe(1);
      expect(world.deps.events.listenerCount(world.tenantB)).toBe(1);
    }, subscribed);
    const { invoiceId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    await claimed.as.job.heartbeat({ jobId: claimed.job.id, progress: 50 });
    await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({ total: "1.00" }),
    });
    await drainA;
    abort.abort();
    await drainB;
    expect(seenA.map((e) => e.kind)).toEqual([
      "invoice.created",
      "job.progress",
      "job.progress",
      "job.succeeded",
    ]);
    expect(seenA.every((e) => e.invoiceId === invoiceId)).toBe(true);
    expect(seenB).toEqual([]);
  });
});

describe("page previews", () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(64),
  ]);
  const put = (jobId: string, token: string, page: string, body: Uint8Array) =>
    handlePagePreview(
      world.deps,
      new Request(`${world.deps.baseURL}/api/jobs/${jobId}/pages/${page}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}` },
        body,
      }),
      { jobId, page },
    );

  it("are stored by the job's own token and served to the tenant through signed links", async () => {
    const { invoiceId } = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    expect((await put(claimed.job.id, claimed.token, "1", png)).status).toBe(201);
    await claimed.as.job.complete({
      jobId: claimed.job.id,
      extraction: extractionOf({ total: "1.00" }),
    });
    const user = await callerFor(world.deps, world.a.user);
    const [page] = await user.invoice.pageUrls({ id: invoiceId });
    expect(page).toMatchObject({ page: 1, width: 1240, height: 1754 });
    const download = (person: Person) =>
      handleDownload(world.deps, new Request(page?.url ?? "", { headers: person.headers }));
    const response = await download(world.a.user);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
    // A copied link opens nothing for anyone else: another tenant, or a colleague.
    expect((await download(world.b.admin)).status).toBe(404);
    expect((await download(world.a.admin)).status).toBe(404);
  });

  it("are refused for another job, a lost lease, a non-PNG body, or without a job token", async () => {
    await uploadedDraft(world, world.tenantA, world.a.user);
    const sibling = await uploadedDraft(world, world.tenantA, world.a.user);
    const claimed = await claimNext();
    expect((await put(sibling.jobId, claimed.token, "1", png)).status).toBe(404);
    expect((await put(claimed.job.id, claimed.token, "1", Buffer.from("GIF89a"))).status).toBe(415);
    expect((await put(claimed.job.id, claimed.token, "0", png)).status).toBe(400);
    expect((await put(claimed.job.id, workerSecret, "1", png)).status).toBe(401);
    expect((await put(claimed.job.id, world.a.user.token, "1", png)).status).toBe(401);
    await expireLease(claimed.job.id);
    await claimNext("other");
    expect((await put(claimed.job.id, claimed.token, "1", png)).status).toBe(409);
  });
});
