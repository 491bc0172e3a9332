import { extractXmlDocument, pdfFields } from "./einvoice/document";
import { type EmbeddedEInvoice, findEmbeddedEInvoice } from "./einvoice/find-in-pdf";
import { ExtractError } from "./errors";
import { recognizeImage } from "./image/recognize";
import { type MemoryLookup, withMemory } from "./memory";
import { OcrPool, type OcrPoolStats } from "./ocr/pool";
import { openPdfReader, type PdfReader } from "./pdf/read-pdf";
import type { Extraction, Page, PagePreview } from "./types";

/** application/xml: an e-invoice (CII, ZUGFeRD 1.0, UBL 2.1); any other XML is refused. */
export const documentTypes = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "application/xml",
] as const;
export type DocumentType = (typeof documentTypes)[number];

export interface ExtractorOptions {
  /** OCR workers; default os.availableParallelism(). */
  poolSize?: number;
  /** Jobs per OCR worker before it is replaced; default 50. */
  recycleAfter?: number;
  /** OCR time allowed per page before its worker is killed; default 60 s. */
  pageTimeoutMs?: number;
  /** PDFs with more pages are refused (ExtractError "too_many_pages"); default 50. */
  maxPages?: number;
}

export interface ExtractOptions {
  /** Called after each page with the share of pages done, 0–100. */
  onProgress?: (percent: number) => void;
  /**
   * Read only what is visible on the pages and ignore any structured data the document
   * carries (an embedded e-invoice): for measuring the visual path.
   */
  visualOnly?: boolean;
  /**
   * The tenant's supplier memory (src/memory): the layout learned from corrections of the
   * document's supplier, read before the rules' values where its labels are found.
   */
  memory?: MemoryLookup;
}

export interface ExtractResult {
  extraction: Extraction;
  /** One per page, in page order; every box of `extraction.pages` is in its pixel space. */
  previews: PagePreview[];
}

export interface Extractor {
  extract(
    bytes: Uint8Array,
    mimeType: DocumentType,
    options?: ExtractOptions,
  ): Promise<ExtractResult>;
  /** OCR pool counters, for logs and metrics. */
  stats(): OcrPoolStats;
  close(): Promise<void>;
}

export const defaultMaxPages = 50;

interface ReadPage {
  page: Page;
  preview: PagePreview;
}

/**
 * Document in, pages and proposed fields out. PDF pages with a text layer are read
 * directly; scanned pages and images go through the OCR pool. The pages of one document
 * are read as many at a time as the pool has workers, so a scanned multi-page PDF uses
 * them all; several documents may be extracted at once and share the pool.
 */
export function createExtractor(options: ExtractorOptions = {}): Extractor {
  const pool = new OcrPool({
    size: options.poolSize,
    recycleAfter: options.recycleAfter,
    jobTimeoutMs: options.pageTimeoutMs,
  });
  const maxPages = options.maxPages ?? defaultMaxPages;

  const ocr = (image: Uint8Array, pageNumber: number): Promise<ReadPage> =>
    pool.run((worker) => recognizeImage(worker, image, pageNumber));

  async function readDocument(
    bytes: Uint8Array,
    mimeType: DocumentType,
    onPage: (done: number, total: number) => void,
    readEmbedded: boolean,
  ): Promise<{ results: ReadPage[]; perPageMs: number[]; embedded: EmbeddedEInvoice | null }> {
    if (mimeType === "image/png" || mimeType === "image/jpeg") {
      const started = performance.now();
      const result = await ocr(bytes, 1);
      onPage(1, 1);
      return { results: [result], perPageMs: [performance.now() - started], embedded: null };
    }
    if (mimeType !== "application/pdf") {
      throw new ExtractError(
        "unsupported_type",
        `Documents of type ${String(mimeType)} cannot be read.`,
      );
    }
    const reader = openPdfReader(bytes);
    try {
      if (reader.pageCount > maxPages) {
        throw new ExtractError(
          "too_many_pages",
          `The PDF has ${reader.pageCount} pages; at most ${maxPages} are read.`,
        );
      }
      // Read before the pages, while the document is surely open; the pages are still read
      // for their previews and words, and to check what they show against the XML.
      const embedded = readEmbedded ? findEmbeddedEInvoice(() => reader.attachments()) : null;
      return { ...(await readPdfPages(reader, pool.stats().size, ocr, onPage)), embedded };
    } finally {
      reader.close();
    }
  }

  return {
    async extract(bytes, mimeType, extractOptions = {}) {
      const started = performance.now();
      if (mimeType === "application/xml") {
        return extractXmlDocument(bytes, extractOptions.onProgress);
      }
      const { results, perPageMs, embedded } = await readDocument(
        bytes,
        mimeType,
        (done, total) => extractOptions.onProgress?.(Math.floor((done / total) * 100)),
        !extractOptions.visualOnly,
      );
      const pages = results.map((result) => result.page);
      const extraction: Extraction = {
        ...pdfFields(pages, embedded),
        pages,
        timings: { totalMs: performance.now() - started, perPageMs },
      };
      return {
        extraction: extractOptions.memory
          ? withMemory(extraction, extractOptions.memory)
          : extraction,
        previews: results.map((result) => result.preview),
      };
    },
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}

/**
 * Reads pages `concurrency` at a time, in order of page number, and returns them in page
 * order; the first failure is thrown. A scanned page is rendered only when a slot frees up, so a long scan holds a few
 * page images in memory, not all of them.
 */
async function readPdfPages(
  reader: PdfReader,
  concurrency: number,
  ocr: (image: Uint8Array, pageNumber: number) => Promise<ReadPage>,
  onPage: (done: number, total: number) => void,
): Promise<{ results: ReadPage[]; perPageMs: number[] }> {
  const total = reader.pageCount;
  const results: ReadPage[] = new Array(total);
  const perPageMs: number[] = new Array(total).fill(0);
  let next = 1;
  let done = 0;

  const readOne = async (pageNumber: number) => {
    const started = performance.now();
    const read = await reader.readPage(pageNumber);
    results[pageNumber - 1] = read.kind === "text" ? read : await ocr(read.image, pageNumber);
    perPageMs[pageNumber - 1] = performance.now() - started;
    done += 1;
    onPage(done, total);
  };
  // After a failure the lanes stop taking pages and the rest are let finish: the caller
  // frees the document once this returns, and no page may still be reading it by then.
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next <= total && !failure) {
      await readOne(next++).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  if (failure) throw failure.error;
  return { results, perPageMs };
}
