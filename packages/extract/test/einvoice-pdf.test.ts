import { deflateSync } from "node:zlib";
import * as mupdf from "mupdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findEmbeddedEInvoice } from "../src/einvoice/find-in-pdf";
import { createExtractor, type Extractor } from "../src/extractor";
import { listAttachments } from "../src/pdf/attachments";
import {
  generateFacturX,
  generateXml,
  invoiceData,
  pagePdf,
  sample,
  samplePageLines,
  withAttachments,
} from "./einvoice-fixtures";

let extractor: Extractor;
beforeAll(() => {
  extractor = createExtractor({ poolSize: 1 });
});
afterAll(() => extractor.close());

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("a PDF carrying its invoice as XML", () => {
  it.each([
    [
      "Factur-X-Minimum",
      "urn:factur-x.eu:1p0:minimum",
      "Factur-X / ZUGFeRD MINIMUM",
      "factur-x.xml",
    ],
    [
      "Factur-X-BasicWL",
      "urn:factur-x.eu:1p0:basicwl",
      "Factur-X / ZUGFeRD BASIC WL",
      "factur-x.xml",
    ],
    [
      "Factur-X-Basic",
      "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
      "Factur-X / ZUGFeRD BASIC",
      "factur-x.xml",
    ],
    ["Factur-X-EN16931", "urn:cen.eu:en16931:2017", "Factur-X / ZUGFeRD EN 16931", "factur-x.xml"],
    [
      "Factur-X-Extended",
      "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
      "Factur-X / ZUGFeRD EXTENDED",
      "factur-x.xml",
    ],
    [
      "Factur-X-XRechnung",
      "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
      "XRechnung 3.0",
      "xrechnung.xml",
    ],
  ])("%s: fields from the XML, pages still read", async (format, specification, profile, name) => {
    const pdf = await generateFacturX(
      format,
      await pagePdf(samplePageLines()),
      invoiceData({ specification }),
    );
    const { extraction, previews } = await extractor.extract(pdf, "application/pdf");

    expect(extraction.eInvoice).toMatchObject({
      profile,
      attachmentName: name,
      documentTypeCode: "380",
    });
    expect(extraction.fields.supplierName).toEqual({
      value: sample.seller,
      source: "e-invoice",
      confidence: 1,
      page: 1,
      box: null,
    });
    expect(extraction.fields.invoiceNumber?.value).toBe(sample.number);
    expect(extraction.fields.invoiceDate?.value).toBe(sample.issueDate);
    expect(extraction.fields.total?.value).toBe("151.10");
    expect(extraction.fields.amountDue?.value).toBe("131.10");
    // The page is still read: a preview and its words, for the review screen.
    expect(extraction.pages).toHaveLength(1);
    expect(previews).toHaveLength(1);
    expect(extraction.pages[0]?.lines.map((line) => line.text)).toContain(
      `Invoice number: ${sample.number}`,
    );
    expect(extraction.warnings).toEqual([]);
  });

  it("visualOnly ignores the XML and reads the page", async () => {
    const pdf = await withAttachments(await pagePdf(samplePageLines()), [
      { name: "factur-x.xml", bytes: await generateXml("CII") },
    ]);
    const { extraction } = await extractor.extract(pdf, "application/pdf", { visualOnly: true });
    expect(extraction.eInvoice).toBeUndefined();
    expect(extraction.fields.invoiceNumber?.source).not.toBe("e-invoice");
    expect(extraction.fields.total?.value).toBe("151.10");
  });

  it("finds an e-invoice under another name by its root, passing over other XML", async () => {
    const pdf = await withAttachments(await pagePdf(samplePageLines()), [
      { name: "metadata.xml", bytes: utf8("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>") },
      { name: "INVOICE_2024-0042.XML", bytes: await generateXml("UBL") },
    ]);
    const { extraction } = await extractor.extract(pdf, "application/pdf");
    expect(extraction.eInvoice?.attachmentName).toBe("INVOICE_2024-0042.XML");
    expect(extraction.fields.invoiceNumber?.source).toBe("e-invoice");
  });

  it("a PDF with no XML attachment is read from its page as before", async () => {
    const pdf = await withAttachments(await pagePdf(samplePageLines()), [
      { name: "terms.txt", bytes: utf8("General terms"), mimeType: "text/plain" },
    ]);
    const { extraction } = await extractor.extract(pdf, "application/pdf");
    expect(extraction.eInvoice).toBeUndefined();
    expect(extraction.fields.invoiceNumber?.value).toBe(sample.number);
  });
});

describe("when the visible page disagrees with the XML", () => {
  it("names both values, for supplier, number, date and total", async () => {
    const page = samplePageLines({
      ...sample,
      seller: "Other Supplier Ltd",
      number: "INV-9999",
      issueDate: "2024-09-30",
    })
      .filter((line) => !line.startsWith("Prepaid") && !line.startsWith("Amount due"))
      .map((line) =>
        line
          .replace("Subtotal 130.00", "Subtotal 150.00")
          .replace("VAT 21.10", "VAT 25.00")
          .replace("Total EUR 151.10", "Total EUR 175.00"),
      );
    const pdf = await withAttachments(await pagePdf(page), [
      { name: "factur-x.xml", bytes: await generateXml("CII") },
    ]);
    const { extraction } = await extractor.extract(pdf, "application/pdf");
    const messages = extraction.warnings
      .filter((warning) => warning.code === "page_disagrees_with_e_invoice")
      .map((warning) => warning.message);
    expect(messages).toEqual([
      `The page shows supplier "Other Supplier Ltd", but the e-invoice data says "${sample.seller}".`,
      `The page shows invoice number "INV-9999", but the e-invoice data says "${sample.number}".`,
      `The page shows invoice date "2024-09-30", but the e-invoice data says "${sample.issueDate}".`,
      `The page shows total "175.00", but the e-invoice data says "151.10".`,
    ]);
    // The XML still decides the fields.
    expect(extraction.fields.total?.value).toBe("151.10");
  });

  it("says nothing when the page shows the XML's values in its own formats", async () => {
    const page = [
      sample.seller.toUpperCase(),
      "RECHNUNG",
      `Rechnungsnummer: ${sample.number}`,
      "Rechnungsdatum: 24.09.2024",
      "Gesamtbetrag: 151,10 €",
    ];
    const pdf = await withAttachments(await pagePdf(page), [
      { name: "factur-x.xml", bytes: await generateXml("CII") },
    ]);
    const { extraction } = await extractor.extract(pdf, "application/pdf");
    expect(extraction.warnings).toEqual([]);
  });
});

describe("a PDF whose embedded XML cannot be used is still read from its page", () => {
  it.each([
    [
      "hostile (a DOCTYPE with entities)",
      utf8(`<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>`),
      /DOCTYPE/,
    ],
    ["malformed", utf8("<rsm:CrossIndustryInvoice>"), /not well-formed/],
  ])("%s", async (_, bytes, reason) => {
    const pdf = await withAttachments(await pagePdf(samplePageLines()), [
      { name: "factur-x.xml", bytes },
    ]);
    const { extraction } = await extractor.extract(pdf, "application/pdf");
    expect(extraction.eInvoice).toBeUndefined();
    expect(extraction.fields.invoiceNumber?.value).toBe(sample.number);
    const warning = extraction.warnings.find((w) => w.code === "e_invoice_unreadable");
    expect(warning?.message).toMatch(/factur-x\.xml/);
    expect(warning?.message).toMatch(reason);
  });

  it("a compressed attachment that would inflate past the cap is stopped while inflating", async () => {
    // 64 MB of spaces deflate to about 64 KB; written as the raw Flate stream of the file.
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const document = new mupdf.PDFDocument();
    document.addPage([0, 0, 595, 842], 0, {}, "");
    const spec = document.addEmbeddedFile(
      "factur-x.xml",
      "text/xml",
      new Uint8Array(0),
      new Date(),
      new Date(),
    );
    spec.get("EF").get("F").writeRawStream(bomb);
    spec.get("EF").get("F").put("Filter", document.newName("FlateDecode"));
    document.insertEmbeddedFile("factur-x.xml", spec);

    const [attachment] = listAttachments(document);
    expect(attachment?.name).toBe("factur-x.xml");
    const found = findEmbeddedEInvoice(() => listAttachments(document));
    expect(found).toMatchObject({ kind: "unreadable", error: { code: "xml_too_large" } });
    document.destroy();
  });
});
