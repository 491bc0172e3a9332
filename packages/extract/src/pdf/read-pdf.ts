import type * as mupdf from "mupdf";
import { defaultPrepareOptions } from "../image/prepare";
import type { Page, PagePreview } from "../types";
import { listAttachments, type PdfAttachment } from "./attachments";
import { hasTextLayer } from "./has-text";
import { captureMupdfLog } from "./mupdf-log";
import { openPdf, unreadable } from "./open-pdf";
import { encodePng, previewSize, type RasterSize, renderPage } from "./rasterise";
import { type PageToPixels, readTextLayer, type TextLayer } from "./text-layer";

/** A page read from its text layer, or a scan handed back as an image for OCR. */
export type PdfPage =
  | { kind: "text"; page: Page; preview: PagePreview }
  | { kind: "scan"; pageNumber: number; image: Uint8Array };

export interface PdfReader {
  pageCount: number;
  /** 1-based. */
  readPage(pageNumber: number): Promise<PdfPage>;
  /** The files the PDF embeds (a Factur-X invoice's XML among them), contents read on demand. */
  attachments(): PdfAttachment[];
  /** Frees the document's WASM memory now rather than whenever the GC gets to it. */
  close(): void;
}

/**
 * Scans are rendered at 300 dpi, but no larger than what recognizeImage reads: it would
 * scale a bigger image down to that budget anyway, after paying to decode it.
 */
const scanSize: RasterSize = { dpi: 300, maxPixels: defaultPrepareOptions.maxPixels };

/** Opens the PDF now (so a bad file fails before any work) and reads pages on demand. */
export function openPdfReader(bytes: Uint8Array): PdfReader {
  return documentReader(openPdf(bytes));
}

/** A reader over any document mupdf has opened (the e-invoice summary is laid out from HTML). */
export function documentReader(document: mupdf.Document): PdfReader {
  return {
    pageCount: document.countPages(),
    readPage: (pageNumber) => readPage(document, pageNumber),
    attachments: () => listAttachments(document),
    close: () => document.destroy(),
  };
}

async function readPage(document: mupdf.Document, pageNumber: number): Promise<PdfPage> {
  const { raster, layer } = withPage(document, pageNumber, (page) => {
    const preview = renderPage(page, previewSize);
    return { raster: preview, layer: readText(page, preview.toPixels) };
  });
  if (hasTextLayer(layer)) {
    const png = await encodePng(raster);
    const { width, height } = raster;
    return {
      kind: "text",
      page: { number: pageNumber, width, height, source: "text-layer", lines: layer.lines },
      preview: { page: pageNumber, png, width, height },
    };
  }
  const scan = withPage(document, pageNumber, (page) => renderPage(page, scanSize));
  // Level 1: this PNG only carries pixels to the OCR worker and is never stored.
  return { kind: "scan", pageNumber, image: await encodePng(scan, 1) };
}

function readText(page: mupdf.Page, toPixels: PageToPixels): TextLayer {
  const text = captureMupdfLog(() => page.toStructuredText("")).result;
  try {
    return readTextLayer(text, toPixels);
  } finally {
    text.destroy();
  }
}

/**
 * Loads a page, runs the synchronous mupdf work on it and frees it before returning, so
 * that no mupdf object outlives an await and WASM memory is given back page by page.
 */
function withPage<T>(
  document: mupdf.Document,
  pageNumber: number,
  use: (page: mupdf.Page) => T,
): T {
  let page: mupdf.Page | undefined;
  try {
    page = captureMupdfLog(() => document.loadPage(pageNumber - 1)).result;
    return use(page);
  } catch (error) {
    throw unreadable(`Page ${pageNumber} of the PDF could not be read`, error);
  } finally {
    page?.destroy();
  }
}
