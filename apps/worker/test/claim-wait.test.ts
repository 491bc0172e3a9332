import { type ApiProcess, startApi, startWorker, until, type WorkerProcess } from "@remit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoicePdf, newTenant, upload } from "./tenant";

/*
 * An idle worker does not poll: its job.claim waits at the API, and the upload itself wakes it
 * (JobSignal through LISTEN/NOTIFY). The worker here would otherwise look again only after a
 * minute (POLL_INTERVAL_MS), and the API holds a claim for up to 25 s (half its deadline), so a
 * job read within the test was taken because of the signal; the API's own figures say so too.
 */

let api: ApiProcess;
let worker: WorkerProcess;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

beforeAll(async () => {
  api = await startApi({ REQUEST_DEADLINE_MS: "50000" });
  worker = startWorker(api.url, { POLL_INTERVAL_MS: "60000" }, ["--concurrency", "1"]);
});

afterAll(async () => {
  await worker?.kill("SIGTERM");
  await api?.stop();
});

describe("an idle worker", () => {
  it("is woken by the upload and claims the job at once, without polling", async () => {
    const { client, token } = await newTenant(api.url, "wake");
    // The worker went idle: its claim is waiting at the API.
    await until("the worker's claim to wait", async () =>
      (await metric("remit_job_claims_waiting")) >= 1 ? true : null,
    );
    const pdf = await invoicePdf(["Rechnung Nr. W-1", "Gesamtbetrag 119,00 EUR"]);
    const invoiceId = await upload(api.url, token, "wake.pdf", pdf);
    const done = await until("the job to finish", async () => {
      const invoice = await client.invoice.get.query({ id: invoiceId });
      return invoice.ocr?.status === "succeeded" || invoice.ocr?.status === "failed"
        ? invoice
        : null;
    });
    expect(done.ocr?.status).toBe("succeeded");
    expect(await metric('remit_job_claim_waits_total{ended="signal"}')).toBeGreaterThanOrEqual(1);
    expect(await metric('remit_job_claim_waits_total{ended="timeout"}')).toBe(0);
  });
});
