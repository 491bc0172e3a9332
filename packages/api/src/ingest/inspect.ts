import { ExtractError, readEInvoiceXml } from "@remit/extract/einvoice";
import type { StoredContentType } from "@remit/storage";
import type { PDFDocument } from "pdf-lib";
import { PayloadTooLargeError, UnprocessableError, UnsupportedMediaError } from "../errors";
import { cleanImage, ImageRefusedError } from "./image-clean";

/*
 * Uploaded files are attacker-controlled. The type comes from the bytes (never the declared
 * MIME type or extension), and each accepted type gets the checks that make it safe to hand to
 * the OCR worker later: bounded pixels, bounded pages, parseable, no scripts, no polyglots.
 */

export const limits = {
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxPages: 50,
  /** Bytes read before deciding the type (file-type's own minimum). */
  sniffBytes: 4100,
} as const;

export class UnsupportedTypeError extends UnsupportedMediaError {
  constructor(readonly found: string) {
    super(`only PDF, JPEG and PNG files and XML e-invoices are accepted; this file is ${found}`);
  }
}

export class UnprocessableFileError extends UnprocessableError {}

function describeUnknown(head: Buffer): string {
  if (head.length === 0) return "empty";
  const start = head.subarray(0, 512).toString("latin1");
  if (/^\s*<(!doctype|html|head|body|script|svg|\?xml)/i.test(start))
    return "HTML or XML (text/html)";
  if (start.startsWith("MZ")) return "a Windows executable";
  if (start.startsWith("\x7fELF")) return "a Linux executable";
  if (start.startsWith("#!")) return "a script";
  if (/^[\t\n\r\x20-\x7e]*$/.test(start)) return "plain text";
  return "unrecognised binary data";
}

function describeKnown(mime: string): string {
  if (/msdownload|executable|x-elf|x-mach|dosexec|sharedlib/.test(mime))
    return `an executable (${mime})`;
  if (/zip|rar|7z|tar|gzip|bzip/.test(mime)) return `an archive (${mime})`;
  return mime;
}

/**
 * XML by its first bytes: a byte-order mark, whitespace, then a declaration or an element; never
 * a web page. Whether it is an e-invoice is decided by reading it (inspect).
 */
function looksLikeXml(head: Buffer): boolean {
  let text = head.subarray(0, 512).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/^\s*<(\?xml[\s?]|[A-Za-z_][\w.:-]*[\s>/])/.test(text)) return false;
  return !/^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>]|svg[\s>:])/i.test(
    text.replace(/^\s*<\?xml[^>]*>\s*/, ""),
  );
}

/** The accepted type of a file from its first bytes, or UnsupportedTypeError saying what it is. */
export async function sniff(head: Buffer): Promise<StoredContentType> {
  // Imported by the first upload, not at the API's start, like pdf-lib and sharp below.
  const found =
    head.length > 0 ? await (await import("file-type")).fileTypeFromBuffer(head) : undefined;
  if (
    found?.mime === "application/pdf" ||
    found?.mime === "image/jpeg" ||
    found?.mime === "image/png"
  ) {
    return found.mime;
  }
  if ((!found || found.mime === "application/xml") && looksLikeXml(head)) return "application/xml";
  throw new UnsupportedTypeError(found ? describeKnown(found.mime) : describeUnknown(head));
}

/**
 * XML is accepted as an e-invoice (EN 16931 CII or UBL 2.1 Invoice/CreditNote, XRechnung, Peppol
 * BIS 3.0, ZUGFeRD 1.0) when the reader the worker uses recognises it, read with the same safe
 * parser (no DTD, no entities, size and depth caps). Any other XML is refused.
 */
function inspectXml(bytes: Buffer): number {
  try {
    readEInvoiceXml(bytes);
    return 1;
  } catch (error) {
    if (!(error instanceof ExtractError)) throw error;
    if (error.code === "not_an_e_invoice") {
      throw new UnsupportedTypeError(
        "XML that is not an e-invoice (EN 16931 CII or UBL, XRechnung, Peppol BIS); only e-invoices are accepted as XML",
      );
    }
    if (error.code === "xml_too_large") throw new PayloadTooLargeError(error.message);
    throw new UnprocessableFileError(error.message);
  }
}

/** Width and height from a PNG's IHDR or a JPEG's SOF marker; null if not found. */
export function imageSize(
  bytes: Buffer,
  type: "image/png" | "image/jpeg",
): { width: number; height: number } | null {
  if (type === "image/png") {
    if (bytes.length < 24 || bytes.toString("latin1", 12, 16) !== "IHDR") return null;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    const length = bytes.readUInt16BE(offset + 2);
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/** Whitespace and NUL padding are all that may follow a PDF's last %%EOF. */
function assertNothingAfterEnd(bytes: Buffer): void {
  const end = bytes.lastIndexOf("%%EOF", undefined, "latin1");
  if (end < 0) throw new UnprocessableFileError("the PDF is truncated or damaged");
  const after = bytes.subarray(end + "%%EOF".length);
  if (!after.every((byte) => byte === 0 || byte === 0x20 || (byte >= 0x09 && byte <= 0x0d))) {
    throw new UnprocessableFileError(
      "the PDF has data after its end (%%EOF), as a polyglot file does; it is refused",
    );
  }
}

const zipLocalHeader = Buffer.from("PK\x03\x04", "latin1");
const zipEndOfDirectory = Buffer.from("PK\x05\x06", "latin1");

async function loadPdf(bytes: Buffer): Promise<PDFDocument> {
  // Loaded on the first PDF, not at start-up: pdf-lib is a large part of the server's start.
  const { PDFDocument } = await import("pdf-lib");
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    const encrypted = /encrypt/i.test(String(error));
    throw new UnprocessableFileError(
      encrypted ? "the PDF is encrypted" : "the PDF could not be read",
    );
  }
}

/** A page count from the document's own page tree; a PDF without one (no /Root) is refused. */
function countPages(document: PDFDocument): number {
  try {
    return document.getPageCount();
  } catch {
    throw new UnprocessableFileError("the PDF has no readable page tree");
  }
}

async function inspectPdf(bytes: Buffer): Promise<number> {
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString("latin1");
  if (!tail.includes("%%EOF") || !tail.includes("startxref")) {
    throw new UnprocessableFileError("the PDF is truncated or damaged");
  }
  assertNothingAfterEnd(bytes);
  if (bytes.includes(zipLocalHeader) && bytes.includes(zipEndOfDirectory)) {
    throw new UnprocessableFileError(
      "the PDF also contains a ZIP archive (a polyglot file); it is refused",
    );
  }
  const document = await loadPdf(bytes);
  const { assertNoActiveContent, PdfPolicyError } = await import("./pdf-policy");
  try {
    assertNoActiveContent(document);
  } catch (error) {
    if (error instanceof PdfPolicyError) throw new UnprocessableFileError(error.message);
    // A structure pdf-lib parsed but cannot walk is a damaged file, not a server fault.
    throw new UnprocessableFileError("the PDF could not be checked");
  }
  const pages = countPages(document);
  if (pages < 1) throw new UnprocessableFileError("the PDF has no pages");
  if (pages > limits.maxPages) {
    throw new UnprocessableFileError(
      `the PDF has ${pages} pages; at most ${limits.maxPages} are accepted`,
    );
  }
  return pages;
}

export interface Inspected {
  pageCount: number;
  /** What to store instead of the upload: an image's clean re-encoding (image-clean.ts). */
  replacement?: Buffer;
}

/** The checks past the type. Throws UnprocessableFileError with a sentence. */
export async function inspect(bytes: Buffer, type: StoredContentType): Promise<Inspected> {
  if (type === "application/pdf") return { pageCount: await inspectPdf(bytes) };
  if (type === "application/xml") return { pageCount: inspectXml(bytes) };
  // The header's size first: a decompression bomb is refused before a pixel is decoded.
  const size = imageSize(bytes, type);
  if (!size || size.width === 0 || size.height === 0) {
    throw new UnprocessableFileError("the image could not be read");
  }
  if (size.width * size.height > limits.maxPixels) {
    throw new UnprocessableFileError(
      `the image is ${size.width}×${size.height} pixels; at most ${limits.maxPixels / 1_000_000} megapixels are accepted`,
    );
  }
  try {
    const clean = await cleanImage(bytes, type, limits.maxPixels);
    return { pageCount: 1, replacement: clean.bytes };
  } catch (error) {
    if (error instanceof ImageRefusedError) throw new UnprocessableFileError(error.message);
    throw error;
  }
}

const claimedByExtension: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  xml: "application/xml",
};

/** Declared types that mean the same as one we store. */
const sameAs: Record<string, string> = { "text/xml": "application/xml" };

/**
 * A declared type or extension that names an accepted type other than the one the bytes are is
 * refused: a PNG sent as "invoice.pdf, application/pdf" is someone's mistake or someone's trick.
 * Generic declarations (application/octet-stream, no extension) are not a claim.
 */
export function assertClaimsMatch(
  actual: StoredContentType,
  declaredType: string | undefined,
  filename: string | undefined,
): void {
  const extension = filename?.split(".").pop()?.toLowerCase();
  const declared = declaredType ? (sameAs[declaredType] ?? declaredType) : undefined;
  const claims = [declared, extension ? claimedByExtension[extension] : undefined].filter(
    (claim): claim is string =>
      Boolean(claim) && Object.values(claimedByExtension).includes(claim as string),
  );
  const wrong = claims.find((claim) => claim !== actual);
  if (wrong) throw new UnsupportedTypeError(`${actual}, not the ${wrong} it was sent as`);
}
