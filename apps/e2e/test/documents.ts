import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  generateInvoice,
  type InvoiceTruth,
  renderInvoicePdf,
  renderScannedImage,
} from "@remit/extract/testing";

export interface TestDocuments {
  pdfPath: string;
  scanPath: string;
  pdfTruth: InvoiceTruth;
  scanTruth: InvoiceTruth;
}

/** A text-layer invoice PDF and a scanned-looking invoice image, with their ground truth. */
export async function testDocuments(): Promise<TestDocuments> {
  const dir = mkdtempSync(join(tmpdir(), "remit-e2e-docs-"));
  const pdfInvoice = generateInvoice(4711, { locale: "en-US", layout: "classic" });
  const scanInvoice = generateInvoice(815, { locale: "en-GB", layout: "classic" });
  const pdfPath = join(dir, "supplier-invoice.pdf");
  const scanPath = join(dir, "scanned-invoice.jpg");
  writeFileSync(pdfPath, await renderInvoicePdf(pdfInvoice));
  writeFileSync(scanPath, await renderScannedImage(await renderInvoicePdf(scanInvoice), 815));
  return { pdfPath, scanPath, pdfTruth: pdfInvoice.truth, scanTruth: scanInvoice.truth };
}
