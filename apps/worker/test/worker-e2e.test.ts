import { type ApiProcess, startApi, startWorker, until, type WorkerProcess } from "@remit/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoicePdf, newTenant, upload } from "./tenant";

/*
 * The worker as deployed: its own process, holding only the API's URL and the worker secret.
 * Documents go in through the public upload endpoint; results are read back as a tenant member.
 */

let api: ApiProcess;
let worker: WorkerProcess;

beforeAll(async () => {
  api = await startApi();
  worker = startWorker(api.url, {}, ["--concurrency", "1"]);
});

afterAll(async () => {
  await worker?.kill("SIGTERM");
  await api?.stop();
});

describe("a text-layer PDF", () => {
  it("is read, its fields fill the draft, and its page preview is stored", async () => {
    const { client, token } = await newTenant(api.url, "e2e");
    const pdf = await invoicePdf([
      "Nordwind Papier GmbH",
      "USt-IdNr. DE811907980",
      "Rechnung Nr. RE-2026-0042",
      "Rechnungsdatum: 02.11.2026",
      "Zwischensumme 100,00 EUR",
      "MwSt 19% 19,00 EUR",
      "Gesamtbetrag 119,00 EUR",
    ]);
    const invoiceId = await upload(api.url, token, "nordwind.pdf", pdf);
    const done = await until("the job to finish", async () => {
      const invoice = await client.invoice.get.query({ id: invoiceId });
      return invoice.ocr?.status === "succeeded" || invoice.ocr?.status === "failed"
        ? invoice
        : null;
    });
    expect(done.ocr?.status).toBe("succeeded");
    expect(done.total).toBe("119.00");
    expect(done.extraction).toMatchObject({ pages: [{ number: 1, source: "text-layer" }] });
    const pages = await client.invoice.pageUrls.query({ id: invoiceId });
    expect(pages).toHaveLength(1);
    const preview = await fetch(pages[0]?.url ?? "", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-type")).toBe("image/png");
  });
});
