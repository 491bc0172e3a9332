import { ExtractError } from "../errors";
import type { EInvoiceSyntax } from "./model";
import type { XmlElement } from "./xml/tree";

/**
 * The root elements Remit reads, by namespace and local name. The namespace decides: an
 * `<Invoice>` in another vocabulary (an ERP's own export, say) is not UBL.
 */
const roots: { ns: string; local: string; syntax: EInvoiceSyntax }[] = [
  {
    ns: "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    local: "CrossIndustryInvoice",
    syntax: "cii",
  },
  {
    ns: "urn:ferd:CrossIndustryDocument:invoice:1p0",
    local: "CrossIndustryDocument",
    syntax: "zugferd-1",
  },
  {
    ns: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    local: "Invoice",
    syntax: "ubl-invoice",
  },
  {
    ns: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    local: "CreditNote",
    syntax: "ubl-credit-note",
  },
];

/** The syntax the root element says, or null. */
export function detectSyntax(root: XmlElement): EInvoiceSyntax | null {
  return roots.find((known) => known.ns === root.ns && known.local === root.local)?.syntax ?? null;
}

export const acceptedFormats =
  "EN 16931 invoices in CII (Factur-X, ZUGFeRD 1.0 and 2.x, XRechnung) or UBL 2.1 (Invoice and CreditNote, XRechnung, Peppol BIS Billing 3.0)";

export function notAnEInvoice(root: XmlElement): ExtractError {
  const name = root.ns
    ? `<${root.local}> in namespace ${root.ns}`
    : `<${root.local}> without a namespace`;
  return new ExtractError(
    "not_an_e_invoice",
    `The XML is not an e-invoice Remit reads: its root element is ${name.slice(0, 200)}. Accepted are ${acceptedFormats}.`,
  );
}
