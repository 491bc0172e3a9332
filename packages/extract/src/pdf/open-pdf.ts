import * as mupdf from "mupdf";
import { ExtractError } from "../errors";
import { captureMupdfLog, MupdfFailure } from "./mupdf-log";

/**
 * Opens a PDF or throws an ExtractError a person can act on. mupdf repairs what it can
 * (a broken xref, a truncated tail); what it cannot repair, an encrypted file and a file
 * without a page end here, before any page is read.
 */
export function openPdf(bytes: Uint8Array): mupdf.Document {
  if (bytes.byteLength === 0) {
    throw new ExtractError("unreadable_pdf", "The PDF is empty (0 bytes).");
  }
  const document = open(bytes);
  if (document.needsPassword()) {
    document.destroy();
    throw new ExtractError(
      "encrypted_pdf",
      "The PDF is password-protected. Remove the password and upload it again.",
    );
  }
  const pageCount = countPages(document);
  if (pageCount === 0) {
    document.destroy();
    throw new ExtractError("unreadable_pdf", "The PDF has no pages.");
  }
  return document;
}

function open(bytes: Uint8Array): mupdf.Document {
  try {
    // The magic pins the PDF parser: mupdf would otherwise guess a format from the content.
    return captureMupdfLog(() => mupdf.Document.openDocument(bytes, "application/pdf")).result;
  } catch (error) {
    throw unreadable("The file is not a readable PDF", error);
  }
}

function countPages(document: mupdf.Document): number {
  try {
    return captureMupdfLog(() => document.countPages()).result;
  } catch (error) {
    document.destroy();
    throw unreadable("The PDF's page tree could not be read", error);
  }
}

/** Wraps a mupdf failure, keeping mupdf's own reason in the message and its log in `cause`. */
export function unreadable(what: string, error: unknown): ExtractError {
  const reason = error instanceof Error ? error.message : String(error);
  const cause = error instanceof MupdfFailure ? error : undefined;
  return new ExtractError("unreadable_pdf", `${what} (${reason}).`, { cause });
}
