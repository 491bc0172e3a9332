import { readFileSync } from "node:fs";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { DocumentType } from "../src/extractor";
import { rasterisePage } from "../src/testing/rasterise";

/** An invoice-like text PDF: a header, 30 item lines and totals on every page. */
export async function invoiceTextPdf(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pages; number += 1) {
    const page = document.addPage([595, 842]);
    const line = (text: string, x: number, y: number, size = 10) =>
      page.drawText(text, { x, y: 842 - y, size, font });
    line("ACME Office Supplies GmbH, Hauptstrasse 1, 10115 Berlin, VAT DE123456789", 50, 60, 9);
    line(`INVOICE INV-2024-${String(number).padStart(4, "0")}`, 50, 100, 20);
    line("Invoice date 2024-03-31    Due date 2024-04-30    Currency EUR", 50, 130);
    for (let item = 1; item <= 30; item += 1) {
      const y = 170 + item * 18;
      line(`${item}. Printer paper A4, 80 g/m2, box of 5 reams`, 50, y);
      line(`${item}`, 380, y);
      line("24.90", 430, y);
      line((item * 24.9).toFixed(2), 500, y);
    }
    line("Subtotal 11578.50    VAT 19% 2199.92    Total 13778.42 EUR", 50, 770, 12);
  }
  return document.save();
}

/** A page of that PDF as a 100 dpi PNG scan: an OCR job of about a second. */
export async function invoiceScanPng(): Promise<Uint8Array> {
  return rasterisePage(await invoiceTextPdf(1), { dpi: 100, gray: true });
}

export interface BenchDocument {
  name: string;
  bytes: Uint8Array;
  type: DocumentType;
}

export function readImage(path: string): BenchDocument {
  const type = /\.png$/i.test(path) ? "image/png" : "image/jpeg";
  return { name: path.split("/").pop() ?? path, bytes: readFileSync(path), type };
}
