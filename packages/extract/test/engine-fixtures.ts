import * as mupdf from "mupdf";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { rasterisePage } from "../src/testing/rasterise";

/**
 * Documents for the engine's tests, generated rather than checked in: text PDFs drawn with
 * pdf-lib (so every word's position is known), and scans made by rasterising those with
 * mupdf, so OCR tests read real pixels of known text.
 */

export const a4 = { width: 595, height: 842 } as const;

export interface TextLine {
  text: string;
  /** Left edge and baseline, in points from the page's top-left corner. */
  x: number;
  y: number;
  size?: number;
}

export async function textPdf(
  pages: TextLine[][],
  pageSize: { width: number; height: number } = a4,
): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([pageSize.width, pageSize.height]);
    for (const line of lines) {
      // pdf-lib measures y from the bottom; the tests think in preview space, from the top.
      page.drawText(line.text, {
        x: line.x,
        y: pageSize.height - line.y,
        size: line.size ?? 12,
        font,
      });
    }
  }
  return document.save();
}

/** An invoice-like page: enough text to count as a text layer, big enough for OCR. */
export const invoiceLines: TextLine[] = [
  { text: "INVOICE", x: 72, y: 100, size: 28 },
  { text: "Number INV-2024-0042", x: 72, y: 150, size: 18 },
  { text: "Total due 1234.56 EUR", x: 72, y: 190, size: 18 },
];

/** The page rendered to PNG by mupdf: a clean "scan" whose text is known. */
export function renderToPng(pdf: Uint8Array, pageIndex = 0, dpi = 200): Uint8Array {
  return rasterisePage(pdf, { page: pageIndex, dpi });
}

/** A PDF whose pages are images only, as a scanner makes them. */
export async function scannedPdf(pngs: Uint8Array[], pageSize = a4): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  for (const png of pngs) {
    const image = await document.embedPng(png);
    const page = document.addPage([pageSize.width, pageSize.height]);
    page.drawImage(image, { x: 0, y: 0, width: pageSize.width, height: pageSize.height });
  }
  return document.save();
}

/** Pages copied from several PDFs into one, in order. */
export async function concatPdfs(pdfs: Uint8Array[]): Promise<Uint8Array> {
  const merged = await PDFDocument.create();
  for (const pdf of pdfs) {
    const source = await PDFDocument.load(pdf);
    const pages = await merged.copyPages(source, source.getPageIndices());
    for (const page of pages) merged.addPage(page);
  }
  return merged.save();
}

export function encryptedPdf(pdf: Uint8Array): Uint8Array {
  const document = new mupdf.PDFDocument(pdf);
  const encrypted = document.saveToBuffer(
    "encrypt=aes-256,user-password=secret,owner-password=owner",
  );
  const bytes = encrypted.asUint8Array().slice();
  document.destroy();
  return bytes;
}
