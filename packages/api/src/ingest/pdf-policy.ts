import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFStream,
} from "pdf-lib";

/*
 * What an uploaded PDF may carry. An invoice is pages to look at; a reader should never run,
 * open, fetch or submit anything on its behalf. The rules are checked on the parsed object
 * graph (pdf-lib has already decompressed object streams), on names as a reader decodes them:
 * `/#4aavaScript` and `/J#61vaScript` are both `/JavaScript`, whatever the case of the hex.
 *
 * Refused anywhere in the document:
 * - scripts (`/JS`, `/JavaScript`) and the actions a reader performs outside the page:
 *   `/Launch`, `/SubmitForm`, `/ImportData`, `/GoToR`, `/GoToE`, media (`/Rendition`,
 *   `/Sound`, `/Movie`), `/RichMedia`, XFA forms;
 * - actions that run by themselves: `/AA` (additional actions, on page open, on focus, …) and
 *   an `/OpenAction` that does anything but show a page (a `/URI` on open fetches a URL);
 * - attached files (`/EmbeddedFile`), except XML: Factur-X, ZUGFeRD and XRechnung carry the
 *   invoice's structured data as an embedded XML file, which the reader uses ([3/7]).
 * A link annotation's `/URI` stays allowed: it does nothing until a person clicks it.
 */

export class PdfPolicyError extends Error {}

/** Names a reader acts on, refused wherever they occur (key or value), with why. */
const refusedNames = new Map<string, string>([
  ["javascript", "JavaScript"],
  ["js", "JavaScript"],
  ["launch", "an action that starts a program (/Launch)"],
  ["submitform", "a form that submits data (/SubmitForm)"],
  ["importdata", "an action that imports data (/ImportData)"],
  ["gotor", "a link that opens another file (/GoToR)"],
  ["gotoe", "a link that opens an embedded file (/GoToE)"],
  ["rendition", "embedded media (/Rendition)"],
  ["sound", "embedded media (/Sound)"],
  ["movie", "embedded media (/Movie)"],
  ["richmedia", "rich media content (/RichMedia)"],
  ["richmediacontent", "rich media content (/RichMedia)"],
  ["xfa", "an XFA form"],
]);

const maxDepth = 64;
/** Embedded XML is read to check what it is; anything larger is not an e-invoice. */
const maxEmbeddedBytes = 5 * 1024 * 1024;

/**
 * A name as a reader sees it. pdf-lib decodes `#XX` escapes only in upper case, so a lower-case
 * escape (`#4a`) survives its parse; decode what is left, in either case. Compared without
 * case, which refuses `/javascript` too: no legitimate invoice uses such a name.
 */
export function readerName(name: PDFName): string {
  return name
    .decodeText()
    .replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .toLowerCase();
}

/** Throws PdfPolicyError with a sentence when the document carries active content. */
export function assertNoActiveContent(document: PDFDocument): void {
  const embeddedStreams = new Set<PDFObject>();
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    walk(object, 0, (dict) => {
      checkDict(dict);
      const files = dict.get(PDFName.of("EF"));
      const resolved = files ? document.context.lookup(files) : undefined;
      if (resolved instanceof PDFDict) {
        for (const value of resolved.values()) {
          const stream = document.context.lookup(value);
          if (stream) embeddedStreams.add(stream);
        }
      }
    });
  }
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    if (object instanceof PDFStream && isEmbeddedFile(object)) embeddedStreams.add(object);
  }
  for (const stream of embeddedStreams) assertXmlAttachment(stream);
}

function walk(object: PDFObject, depth: number, onDict: (dict: PDFDict) => void): void {
  if (depth > maxDepth) throw new PdfPolicyError("the PDF is nested too deeply to be checked");
  if (object instanceof PDFStream) {
    walk(object.dict, depth + 1, onDict);
    return;
  }
  if (object instanceof PDFDict) {
    // Names first, then the dictionary's structure: an open action that runs JavaScript is
    // refused as JavaScript, the more telling of the two sentences.
    for (const [key, value] of object.entries()) {
      refuseName(key);
      walk(value, depth + 1, onDict);
    }
    onDict(object);
    return;
  }
  if (object instanceof PDFArray) {
    for (const value of object.asArray()) walk(value, depth + 1, onDict);
    return;
  }
  if (object instanceof PDFName) refuseName(object);
}

function refuseName(name: PDFName): void {
  const what = refusedNames.get(readerName(name));
  if (what) throw new PdfPolicyError(`the PDF contains ${what}, which is not accepted`);
}

function checkDict(dict: PDFDict): void {
  for (const [key, value] of dict.entries()) {
    const name = readerName(key);
    if (name === "aa") {
      throw new PdfPolicyError(
        "the PDF contains actions that run by themselves (/AA), which are not accepted",
      );
    }
    if (name === "openaction" && value instanceof PDFDict) {
      const kind = value.get(PDFName.of("S"));
      if (!(kind instanceof PDFName) || readerName(kind) !== "goto") {
        throw new PdfPolicyError(
          "the PDF runs an action when it is opened (/OpenAction), which is not accepted",
        );
      }
    }
  }
}

function isEmbeddedFile(stream: PDFStream): boolean {
  const type = stream.dict.get(PDFName.of("Type"));
  return type instanceof PDFName && readerName(type) === "embeddedfile";
}

/** An attached file must be XML, and nothing else that merely says it is. */
function assertXmlAttachment(stream: PDFObject): void {
  if (!(stream instanceof PDFRawStream)) {
    throw new PdfPolicyError("the PDF carries an attached file that could not be checked");
  }
  let bytes: Uint8Array;
  try {
    if (stream.contents.length > maxEmbeddedBytes) throw new Error("too large");
    bytes = decodePDFRawStream(stream).decode();
  } catch {
    throw new PdfPolicyError("the PDF carries an attached file that could not be checked");
  }
  if (bytes.length > maxEmbeddedBytes || !looksLikeXml(bytes)) {
    throw new PdfPolicyError(
      "the PDF carries an attached file; only XML e-invoice data may be embedded",
    );
  }
}

/**
 * XML, after an optional byte-order mark and whitespace: `<?xml` or an element, and not a web
 * page (HTML or SVG can run script where a reader hands the attachment to a browser).
 */
function looksLikeXml(bytes: Uint8Array): boolean {
  let text = Buffer.from(bytes.subarray(0, 1024)).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/^\s*<(\?xml[\s?]|[A-Za-z_][\w.:-]*[\s>/])/.test(text)) return false;
  return !/<(!doctype\s+html|html[\s>]|svg[\s>:]|script[\s>])/i.test(text);
}
