import { ExtractError } from "../errors";
import type { PdfAttachment } from "../pdf/attachments";
import { type EInvoiceReading, readEInvoiceXml } from "./read";
import { defaultXmlLimits, type XmlLimits } from "./xml/parse";

/**
 * The attachment names the standards give the invoice XML: Factur-X and ZUGFeRD 2.1+
 * (factur-x.xml), ZUGFeRD 2.0 (zugferd-invoice.xml), ZUGFeRD 1.0 (ZUGFeRD-invoice.xml) and
 * XRechnung in a Factur-X container (xrechnung.xml). Compared without case.
 */
const standardNames = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"];

export type EmbeddedEInvoice =
  | { kind: "read"; reading: EInvoiceReading }
  /** XML that looked like the invoice but could not be read: the page is read instead. */
  | { kind: "unreadable"; attachmentName: string; error: ExtractError };

/**
 * Finds and reads the e-invoice a PDF carries: the attachment with a standard name first,
 * then any other XML attachment whose root turns out to be an e-invoice. Null when there is
 * none. An XML that is malformed, unsafe or too large is reported, not thrown: the PDF still
 * has pages to read, and a broken attachment must not make the whole document unreadable.
 */
export function findEmbeddedEInvoice(
  listAttachments: () => PdfAttachment[],
  limits: XmlLimits = defaultXmlLimits,
): EmbeddedEInvoice | null {
  let attachments: PdfAttachment[];
  try {
    attachments = listAttachments();
  } catch {
    // A damaged name tree: as good as no attachments, the pages are still there.
    return null;
  }
  let failure: EmbeddedEInvoice | null = null;
  for (const attachment of candidates(attachments)) {
    try {
      const bytes = attachment.read(limits.maxBytes);
      return { kind: "read", reading: readEInvoiceXml(bytes, attachment.name, limits) };
    } catch (error) {
      // Some other XML (an XMP packet, an order) is not a failure: keep looking.
      if (error instanceof ExtractError && error.code === "not_an_e_invoice") continue;
      const reason =
        error instanceof ExtractError
          ? error
          : new ExtractError(
              "unreadable_xml",
              `The attachment ${attachment.name.slice(0, 100)} could not be read from the PDF.`,
              { cause: error },
            );
      failure ??= { kind: "unreadable", attachmentName: attachment.name, error: reason };
    }
  }
  return failure;
}

/** Standard names in their order, then the other XML attachments. */
function candidates(attachments: PdfAttachment[]): PdfAttachment[] {
  const lower = (attachment: PdfAttachment) => attachment.name.trim().toLowerCase();
  const standard = standardNames.flatMap((name) =>
    attachments.filter((attachment) => lower(attachment) === name),
  );
  const otherXml = attachments.filter(
    (attachment) =>
      !standard.includes(attachment) &&
      (lower(attachment).endsWith(".xml") || (attachment.mimeType ?? "").includes("xml")),
  );
  return [...standard, ...otherXml];
}
