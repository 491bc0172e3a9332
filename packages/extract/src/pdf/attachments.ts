import { inflateSync } from "node:zlib";
import type * as mupdf from "mupdf";
import { ExtractError } from "../errors";
import { captureMupdfLog } from "./mupdf-log";

/** A file embedded in a PDF, listed without reading its contents. */
export interface PdfAttachment {
  /** The file name the PDF gives it (/UF, else /F, else its name-tree key). */
  name: string;
  /** The embedded stream's /Subtype, e.g. "text/xml"; null when absent. */
  mimeType: string | null;
  /** The decoded contents; throws ExtractError("xml_too_large") past `maxBytes`. */
  read(maxBytes: number): Uint8Array;
}

/**
 * Caps on walking a PDF's attachment structures. The name tree and the /AF array come from
 * the file, which may be hostile: a /Kids cycle or a million entries must not hang the read.
 */
const maxNameTreeNodes = 1_000;
const maxNameTreeDepth = 32;
const maxAttachments = 200;

/**
 * The files a PDF embeds: the document's EmbeddedFiles name tree and its associated files
 * (/AF, where PDF/A-3 and Factur-X declare the invoice XML). mupdf's own getEmbeddedFiles
 * follows /Kids without a cycle check, so the tree is walked here, with caps.
 */
export function listAttachments(document: mupdf.Document): PdfAttachment[] {
  const pdf = document.asPDF();
  if (!pdf) return [];
  return captureMupdfLog(() => {
    const root = pdf.getTrailer().get("Root");
    const found: { key: string | null; spec: mupdf.PDFObject }[] = [];
    walkNameTree(root.get("Names").get("EmbeddedFiles"), found);
    const associated = root.get("AF");
    if (associated.isArray()) {
      for (let i = 0; i < Math.min(associated.length, maxAttachments); i += 1) {
        found.push({ key: null, spec: associated.get(i) });
      }
    }
    const seen = new Set<number>();
    const attachments: PdfAttachment[] = [];
    for (const { key, spec } of found) {
      // The same file spec is usually in both places.
      if (spec.isIndirect()) {
        if (seen.has(spec.asIndirect())) continue;
        seen.add(spec.asIndirect());
      }
      const attachment = toAttachment(key, spec.resolve());
      if (attachment) attachments.push(attachment);
      if (attachments.length >= maxAttachments) break;
    }
    return attachments;
  }).result;
}

function walkNameTree(
  node: mupdf.PDFObject,
  found: { key: string | null; spec: mupdf.PDFObject }[],
): void {
  const visited = new Set<number>();
  let nodes = 0;
  const visit = (current: mupdf.PDFObject, depth: number) => {
    if (!current.isDictionary() || depth > maxNameTreeDepth || nodes >= maxNameTreeNodes) return;
    if (current.isIndirect()) {
      if (visited.has(current.asIndirect())) return;
      visited.add(current.asIndirect());
    }
    nodes += 1;
    const names = current.get("Names");
    if (names.isArray()) {
      for (let i = 0; i + 1 < names.length && found.length < maxAttachments; i += 2) {
        const key = names.get(i);
        found.push({ key: key.isString() ? key.asString() : null, spec: names.get(i + 1) });
      }
    }
    const kids = current.get("Kids");
    if (kids.isArray()) {
      for (let i = 0; i < kids.length && nodes < maxNameTreeNodes; i += 1) {
        visit(kids.get(i), depth + 1);
      }
    }
  };
  visit(node, 0);
}

function toAttachment(key: string | null, spec: mupdf.PDFObject): PdfAttachment | null {
  if (!spec.isDictionary()) return null;
  const files = spec.get("EF");
  const stream = files.get("UF").isStream() ? files.get("UF") : files.get("F");
  if (!stream.isStream()) return null;
  const name = stringOf(spec.get("UF")) ?? stringOf(spec.get("F")) ?? key ?? "";
  const subtype = stream.get("Subtype");
  return {
    name,
    mimeType: subtype.isName() ? subtype.asName() : null,
    read: (maxBytes) => readStream(stream, name, maxBytes),
  };
}

function stringOf(value: mupdf.PDFObject): string | null {
  return value.isString() ? value.asString() : null;
}

/**
 * An embedded file's bytes, decoded without letting a small compressed stream inflate into
 * gigabytes: Flate (what Factur-X writers use) is inflated here with an output cap; an
 * unfiltered stream is checked by length. Other filters, and Flate that zlib cannot read, are
 * left to mupdf, but only for streams whose encoded size could not expand past the cap by much.
 */
function readStream(stream: mupdf.PDFObject, name: string, maxBytes: number): Uint8Array {
  const tooLarge = () =>
    new ExtractError(
      "xml_too_large",
      `The attachment ${name.slice(0, 100)} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; it was not read.`,
    );
  const { filters, raw, withParameters } = captureMupdfLog(() => {
    const filter = stream.get("Filter");
    const list = filter.isArray()
      ? Array.from({ length: filter.length }, (_, i) => filter.get(i))
      : filter.isNull()
        ? []
        : [filter];
    return {
      filters: list.map((item) => (item.isName() ? item.asName() : "?")),
      // A copy: the view points into mupdf's heap, which the next allocation may move.
      raw: stream.readRawStream().asUint8Array().slice(),
      withParameters: !stream.get("DecodeParms").isNull(),
    };
  }).result;
  if (filters.length === 0) {
    if (raw.byteLength > maxBytes) throw tooLarge();
    return raw;
  }
  if (filters.length === 1 && filters[0] === "FlateDecode" && !withParameters) {
    try {
      return new Uint8Array(inflateSync(raw, { maxOutputLength: maxBytes }));
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
      // Not zlib as the PDF standard says (some writers emit raw deflate): mupdf is lenient.
    }
  }
  if (raw.byteLength > maxBytes / 64) throw tooLarge();
  const decoded = captureMupdfLog(() => stream.readStream().asUint8Array().slice()).result;
  if (decoded.byteLength > maxBytes) throw tooLarge();
  return decoded;
}
