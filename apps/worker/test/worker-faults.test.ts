import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RemitClient } from "@remit/client";
import { type ApiProcess, startApi, startWorker, until, type WorkerProcess } from "@remit/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { noisePng } from "./images";
import { type LatchedWorker, startLatchedWorker } from "./latched";
import { invoicePdf, newTenant, upload } from "./tenant";

/*
 * Faults, injected into real processes: a worker killed mid-job, a page that hangs OCR, a worker
 * told to stop, documents that cannot be read. Leases are 3 s and retries back off from 0.2 s so
 * that each recovery happens within seconds. Where a fault must strike while a job is running,
 * the worker's extractor is held on a latch (test/latched-worker.ts): the test waits until the
 * worker has started on the document, and the document is read only when the test says so.
 */

let api: ApiProcess;
let tenant: { client: RemitClient; token: string };
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  api = await startApi({
    OCR_LEASE_SECONDS: "3",
    OCR_RETRY_BASE_SECONDS: "0.2",
    OCR_RETRY_MAX_SECONDS: "1",
  });
  tenant = await newTenant(api.url, "faults");
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill("SIGKILL")));
});

afterAll(async () => {
  await api?.stop();
});

function worker(env: Record<string, string> = {}) {
  const started = startWorker(api.url, env);
  workers.push(started);
  return started;
}

function latchedWorker(env: Record<string, string> = {}): LatchedWorker {
  const started = startLatchedWorker(api.url, env);
  workers.push(started);
  return started;
}

const ocrOf = async (invoiceId: string) =>
  (await tenant.client.invoice.get.query({ id: invoiceId })).ocr;

const settled = (invoiceId: string, timeoutMs = 90_000) =>
  until(
    `invoice ${invoiceId} to settle`,
    async () => {
      const ocr = await ocrOf(invoiceId);
      return ocr && ["succeeded", "failed", "dead"].includes(ocr.status) ? ocr : null;
    },
    timeoutMs,
  );

async function extractedAudits(invoiceId: string) {
  const page = await tenant.client.audit.list.query({ entityId: invoiceId });
  return page.items.filter((row) => row.action === "invoice.extracted");
}

describe("a worker killed mid-job", () => {
  it("leaves the job to another worker after the lease, which completes it exactly once", async () => {
    const document = await invoicePdf(["Total 7.00"]);
    const invoiceId = await upload(api.url, tenant.token, "slow.pdf", document);
    const doomed = latchedWorker();
    // Held on the latch: the job is running and stays so until the kill.
    await doomed.extracting(document);
    await doomed.kill("SIGKILL");
    expect((await ocrOf(invoiceId))?.status).toBe("running");

    worker();
    const ocr = await settled(invoiceId);
    expect(ocr).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await extractedAudits(invoiceId)).toHaveLength(1);
  });
});

describe("a page that hangs OCR", () => {
  it("times out on every attempt and is dead-lettered, while the worker serves other jobs", async () => {
    const pathological = await noisePng(100);
    const hanging = await upload(api.url, tenant.token, "pathological.png", pathological);
    const w = latchedWorker({ OCR_PAGE_TIMEOUT_MS: "1000" });
    w.decide(pathological, "time out");
    await until("the first timeout", async () => ((await ocrOf(hanging))?.attempts ?? 0) >= 1);
    const document = await invoicePdf(["Total 12.00"]);
    w.decide(document, "read");
    const fine = await upload(api.url, tenant.token, "fine.pdf", document);

    expect(await settled(fine)).toMatchObject({ status: "succeeded" });
    const dead = await settled(hanging, 120_000);
    expect(dead).toMatchObject({ status: "dead", attempts: 5 });
    expect(dead.lastError).toMatch(/took longer than 1000 ms/);
    expect(w.child.exitCode).toBeNull();
  });
});

describe("a worker told to stop (SIGTERM)", () => {
  it("releases a job it cannot finish in its grace period, and exits cleanly", async () => {
    const document = await invoicePdf(["Total 5.00"]);
    const invoiceId = await upload(api.url, tenant.token, "long.pdf", document);
    const stopping = latchedWorker({ SHUTDOWN_GRACE_MS: "0" });
    // Held on the latch: the job cannot finish, whatever the grace period.
    await stopping.extracting(document);
    await stopping.kill("SIGTERM");
    expect(stopping.child.exitCode).toBe(0);
    const released = await ocrOf(invoiceId);
    expect(released).toMatchObject({ status: "queued", attempts: 1 });
    expect(released?.lastError).toMatch(/released/);

    worker();
    expect(await settled(invoiceId)).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("finishes a job that fits in its grace period", async () => {
    const document = await invoicePdf(["Total 3.00"]);
    const invoiceId = await upload(api.url, tenant.token, "quick.pdf", document);
    const stopping = latchedWorker({ SHUTDOWN_GRACE_MS: "30000" });
    await stopping.extracting(document);
    // The job is in flight when the stop begins; only then is it let finish.
    stopping.child.kill("SIGTERM");
    await stopping.logged("stopping: finishing or releasing jobs");
    stopping.decide(document, "read");
    expect(await stopping.exited).toBe(0);
    expect(stopping.child.exitCode).toBe(0);
    expect(await ocrOf(invoiceId)).toMatchObject({ status: "succeeded", attempts: 1 });
  });
});

describe("documents that cannot be read", () => {
  /** Replaces a stored original in place: storage corruption, after upload's checks passed. */
  function corrupt(invoiceId: string, bytes: Uint8Array) {
    const [file] = findOriginal(invoiceId);
    if (!file) throw new Error("stored original not found");
    writeFileSync(file, bytes);
  }

  function findOriginal(invoiceId: string): string[] {
    const found: string[] = [];
    for (const tenantDir of readdirSync(api.objectsDir)) {
      for (const userDir of readdirSync(join(api.objectsDir, tenantDir))) {
        const folder = join(api.objectsDir, tenantDir, userDir, invoiceId);
        try {
          for (const name of readdirSync(folder)) {
            if (name.startsWith("original.")) found.push(join(folder, name));
          }
        } catch {
          // not this user's folder
        }
      }
    }
    return found;
  }

  it("fail at once with a readable error on the invoice, and the worker carries on", async () => {
    const broken = await upload(api.url, tenant.token, "broken.pdf", await invoicePdf(["x"]));
    const empty = await upload(api.url, tenant.token, "empty.png", await noisePng(50));
    corrupt(broken, Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"));
    corrupt(empty, new Uint8Array(0));
    const w = worker();
    const pdf = await settled(broken);
    const image = await settled(empty);
    expect(pdf).toMatchObject({ status: "failed", attempts: 1 });
    expect(pdf.lastError).toMatch(/PDF/);
    expect(image).toMatchObject({ status: "failed", attempts: 1 });
    expect(image.lastError).toMatch(/empty|image/i);
    expect(w.child.exitCode).toBeNull();
  });
});
