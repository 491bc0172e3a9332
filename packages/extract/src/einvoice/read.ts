import type { ExtractionWarning, InvoiceFields } from "../types";
import { checkEInvoice } from "./checks";
import { readCii } from "./cii";
import { detectSyntax, notAnEInvoice } from "./detect";
import type { EInvoice } from "./model";
import { withLedgerSign } from "./sign";
import { eInvoiceFields } from "./to-fields";
import { readUbl } from "./ubl";
import { defaultXmlLimits, parseXml, type XmlLimits } from "./xml/parse";
import type { XmlElement } from "./xml/tree";

export interface EInvoiceReading {
  eInvoice: EInvoice;
  fields: InvoiceFields;
  warnings: ExtractionWarning[];
}

/**
 * E-invoice XML in, fields and structured data out. Throws an ExtractError with a sentence
 * for XML that is malformed, unsafe (a DOCTYPE), too large, or not an e-invoice.
 * `attachmentName` is the PDF attachment the bytes came from, null for an XML upload.
 */
export function readEInvoiceXml(
  bytes: Uint8Array,
  attachmentName: string | null = null,
  limits: XmlLimits = defaultXmlLimits,
): EInvoiceReading {
  const root = parseXml(bytes, limits);
  const eInvoice = withLedgerSign({ ...readRoot(root), attachmentName });
  return { eInvoice, fields: eInvoiceFields(eInvoice), warnings: checkEInvoice(eInvoice) };
}

function readRoot(root: XmlElement): EInvoice {
  const syntax = detectSyntax(root);
  switch (syntax) {
    case "cii":
    case "zugferd-1":
      return readCii(root, syntax);
    case "ubl-invoice":
    case "ubl-credit-note":
      return readUbl(root, syntax);
    case null:
      throw notAnEInvoice(root);
  }
}
