import {
  type ApiProcess,
  startApi,
  startWorker,
  ublInvoice,
  until,
  type WorkerProcess,
} from "@remit/testkit";
import { AFRelationship, PDFDocument } from "pdf-lib";
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

describe("e-invoices ([3/7])", () => {
  const finished = async (client: Awaited<ReturnType<typeof newTenant>>["client"], id: string) =>
    until("the job to finish", async () => {
      const invoice = await client.invoice.get.query({ id });
      return invoice.ocr?.status === "succeeded" || invoice.ocr?.status === "failed"
        ? invoice
        : null;
    });

  it("an XML upload is read exactly: fields from the XML with confidence 1, amount due apart", async () => {
    const { client, token } = await newTenant(api.url, "xml");
    const xml = ublInvoice({ number: "UBL-W-1", net: "200.00", prepaid: "38.00" });
    const invoiceId = await upload(api.url, token, "e-invoice.xml", new TextEncoder().encode(xml));
    const done = await finished(client, invoiceId);
    expect(done.ocr?.status).toBe("succeeded");
    expect(done).toMatchObject({
      invoiceNumber: "UBL-W-1",
      invoiceDate: "2026-11-02",
      currency: "EUR",
      total: "238.00",
      amountDue: "200.00",
    });
    const extraction = done.extraction as {
      fields: Record<string, { source?: string; confidence: number } | null>;
      eInvoice?: { profile: string; paymentMeans: Array<{ iban: string | null }> };
    };
    expect(extraction.fields.total).toMatchObject({ source: "e-invoice", confidence: 1 });
    expect(extraction.eInvoice?.profile).toBe("Peppol BIS Billing 3.0");
    expect(extraction.eInvoice?.paymentMeans[0]?.iban).toBe("DE02120300000000202051");
    // The review screen gets a readable rendering as page previews.
    expect((await client.invoice.pageUrls.query({ id: invoiceId })).length).toBeGreaterThan(0);
  });

  it("a PDF carrying Factur-X XML: the XML's fields win, and a page that disagrees is flagged", async () => {
    const { client, token } = await newTenant(api.url, "facturx");
    const pdf = await PDFDocument.load(
      await invoicePdf(["Nordwind Papier GmbH", "Rechnung Nr. PAGE-9", "Gesamtbetrag 999,00 EUR"]),
    );
    await pdf.attach(new TextEncoder().encode(ublInvoice({ number: "XML-9" })), "factur-x.xml", {
      mimeType: "application/xml",
      afRelationship: AFRelationship.Data,
    });
    const invoiceId = await upload(api.url, token, "facturx.pdf", await pdf.save());
    const done = await finished(client, invoiceId);
    expect(done.ocr?.status).toBe("succeeded");
    expect(done.invoiceNumber).toBe("XML-9");
    expect(done.total).toBe("119.00");
    const warnings = (done.extraction as { warnings: Array<{ code: string; message: string }> })
      .warnings;
    const disagreement = warnings.find((w) => w.code === "page_disagrees_with_e_invoice");
    expect(disagreement?.message).toMatch(/XML-9/);
    expect(disagreement?.message).toMatch(/PAGE-9/);
  });
});
