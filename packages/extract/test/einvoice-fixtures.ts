import { type Invoice, InvoiceService } from "@e-invoice-eu/core";
import { AFRelationship, PDFDocument, StandardFonts } from "pdf-lib";

/**
 * E-invoices for tests, made by a maintained generator (@e-invoice-eu/core, offline) from
 * data in its UBL-shaped internal format, so the reader is tested against another
 * implementation's reading of EN 16931 rather than against XML written to suit it.
 */
export interface SampleInvoice {
  /** BT-24; the generator writes it as given. */
  specification: string;
  number: string;
  issueDate: string;
  dueDate: string;
  typeCode: string;
  currency: string;
  seller: string;
  sellerVatId: string;
  iban: string;
  buyerReference: string;
  paymentTerms: string;
}

export const sample: SampleInvoice = {
  specification: "urn:cen.eu:en16931:2017",
  number: "INV-2024-0042",
  issueDate: "2024-09-24",
  dueDate: "2024-10-08",
  typeCode: "380",
  currency: "EUR",
  seller: "Acme Werkzeuge GmbH",
  sellerVatId: "DE202526944",
  iban: "DE02120300000000202051",
  buyerReference: "04011000-12345-06",
  paymentTerms: "Payable within 14 days without deduction.",
};

/**
 * Two lines (2 × 50.00 at 19 %, 3 × 10.00 at 7 %), net 130.00, VAT 21.10, gross 151.10,
 * 20.00 prepaid, 131.10 due: every total distinct, so a field read from the wrong one shows.
 */
export function invoiceData(overrides: Partial<SampleInvoice> = {}): Invoice {
  const s = { ...sample, ...overrides };
  return {
    "ubl:Invoice": {
      "cbc:CustomizationID": s.specification,
      "cbc:ID": s.number,
      "cbc:IssueDate": s.issueDate,
      "cbc:DueDate": s.dueDate,
      "cbc:InvoiceTypeCode": s.typeCode,
      "cbc:DocumentCurrencyCode": s.currency,
      "cbc:BuyerReference": s.buyerReference,
      "cac:AccountingSupplierParty": {
        "cac:Party": {
          "cbc:EndpointID": "seller@example.com",
          "cbc:EndpointID@schemeID": "EM",
          "cac:PostalAddress": {
            "cbc:StreetName": "Hauptstrasse 1",
            "cbc:CityName": "Berlin",
            "cbc:PostalZone": "10115",
            "cac:Country": { "cbc:IdentificationCode": "DE" },
          },
          "cac:PartyTaxScheme": [
            { "cbc:CompanyID": s.sellerVatId, "cac:TaxScheme": { "cbc:ID": "VAT" } },
          ],
          "cac:PartyLegalEntity": { "cbc:RegistrationName": s.seller },
          "cac:Contact": {
            "cbc:Name": "Jo Doe",
            "cbc:Telephone": "+49 30 123456",
            "cbc:ElectronicMail": "jo@example.com",
          },
        },
      },
      "cac:AccountingCustomerParty": {
        "cac:Party": {
          "cbc:EndpointID": "buyer@example.com",
          "cbc:EndpointID@schemeID": "EM",
          "cac:PostalAddress": {
            "cbc:CityName": "Hamburg",
            "cbc:PostalZone": "20095",
            "cac:Country": { "cbc:IdentificationCode": "DE" },
          },
          "cac:PartyLegalEntity": { "cbc:RegistrationName": "Globex Handel AG" },
        },
      },
      "cac:PaymentMeans": [
        { "cbc:PaymentMeansCode": "58", "cac:PayeeFinancialAccount": { "cbc:ID": s.iban } },
      ],
      "cac:PaymentTerms": { "cbc:Note": s.paymentTerms },
      "cac:TaxTotal": [
        {
          "cbc:TaxAmount": "21.10",
          "cbc:TaxAmount@currencyID": s.currency,
          "cac:TaxSubtotal": [
            {
              "cbc:TaxableAmount": "100.00",
              "cbc:TaxableAmount@currencyID": s.currency,
              "cbc:TaxAmount": "19.00",
              "cbc:TaxAmount@currencyID": s.currency,
              "cac:TaxCategory": {
                "cbc:ID": "S",
                "cbc:Percent": "19",
                "cac:TaxScheme": { "cbc:ID": "VAT" },
              },
            },
            {
              "cbc:TaxableAmount": "30.00",
              "cbc:TaxableAmount@currencyID": s.currency,
              "cbc:TaxAmount": "2.10",
              "cbc:TaxAmount@currencyID": s.currency,
              "cac:TaxCategory": {
                "cbc:ID": "S",
                "cbc:Percent": "7",
                "cac:TaxScheme": { "cbc:ID": "VAT" },
              },
            },
          ],
        },
      ],
      "cac:LegalMonetaryTotal": {
        "cbc:LineExtensionAmount": "130.00",
        "cbc:LineExtensionAmount@currencyID": s.currency,
        "cbc:TaxExclusiveAmount": "130.00",
        "cbc:TaxExclusiveAmount@currencyID": s.currency,
        "cbc:TaxInclusiveAmount": "151.10",
        "cbc:TaxInclusiveAmount@currencyID": s.currency,
        "cbc:PrepaidAmount": "20.00",
        "cbc:PrepaidAmount@currencyID": s.currency,
        "cbc:PayableAmount": "131.10",
        "cbc:PayableAmount@currencyID": s.currency,
      },
      "cac:InvoiceLine": [
        line("1", "Hammer", "2", "H87", "50.00", "100.00", "19", s.currency),
        line("2", "Delivery", "3", "C62", "10.00", "30.00", "7", s.currency),
      ],
    },
  } as unknown as Invoice;
}

function line(
  id: string,
  name: string,
  quantity: string,
  unit: string,
  price: string,
  amount: string,
  rate: string,
  currency: string,
) {
  return {
    "cbc:ID": id,
    "cbc:InvoicedQuantity": quantity,
    "cbc:InvoicedQuantity@unitCode": unit,
    "cbc:LineExtensionAmount": amount,
    "cbc:LineExtensionAmount@currencyID": currency,
    "cac:Item": {
      "cbc:Name": name,
      "cac:ClassifiedTaxCategory": {
        "cbc:ID": "S",
        "cbc:Percent": rate,
        "cac:TaxScheme": { "cbc:ID": "VAT" },
      },
    },
    "cac:Price": { "cbc:PriceAmount": price, "cbc:PriceAmount@currencyID": currency },
  };
}

const quiet = { log() {}, warn() {}, error() {} };

/** Pure XML formats: "CII", "UBL", "XRECHNUNG-CII", "XRECHNUNG-UBL". */
export async function generateXml(
  format: string,
  data: Invoice = invoiceData(),
): Promise<Uint8Array> {
  const output = await new InvoiceService(quiet).generate(structuredClone(data), {
    format,
    lang: "en-us",
    noWarnings: true,
  });
  return typeof output === "string" ? new TextEncoder().encode(output) : output;
}

/** A Factur-X PDF ("Factur-X-Minimum" ... "Factur-X-Extended", "Factur-X-XRechnung") around `page`. */
export async function generateFacturX(
  format: string,
  page: Uint8Array,
  data: Invoice = invoiceData(),
): Promise<Uint8Array> {
  const output = await new InvoiceService(quiet).generate(structuredClone(data), {
    format,
    lang: "en-us",
    noWarnings: true,
    pdf: { buffer: page, filename: "invoice.pdf", mimetype: "application/pdf" },
  });
  if (typeof output === "string") throw new Error(`${format} produced XML, not a PDF`);
  return output;
}

/** A one-page text PDF showing these lines, as a visible invoice page. */
export async function pagePdf(lines: string[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setCreationDate(new Date(Date.UTC(2024, 0, 1)));
  document.setModificationDate(new Date(Date.UTC(2024, 0, 1)));
  const page = document.addPage([595, 842]);
  const font = await document.embedFont(StandardFonts.Helvetica);
  lines.forEach((text, i) => {
    page.drawText(text, { x: 50, y: 780 - i * 18, size: 11, font });
  });
  return document.save({ useObjectStreams: false });
}

/** The page a correct sender prints for `sample`. */
export function samplePageLines(s: SampleInvoice = sample): string[] {
  return [
    s.seller,
    "Hauptstrasse 1, 10115 Berlin",
    `VAT ID: ${s.sellerVatId}`,
    "INVOICE",
    `Invoice number: ${s.number}`,
    `Invoice date: ${s.issueDate}`,
    "Hammer 2 x 50.00 100.00",
    "Delivery 3 x 10.00 30.00",
    "Subtotal 130.00",
    "VAT 21.10",
    "Total EUR 151.10",
    "Prepaid 20.00",
    "Amount due 131.10",
  ];
}

/** `page` with `files` attached, as pdf-lib writes attachments (Flate-compressed streams). */
export async function withAttachments(
  page: Uint8Array,
  files: { name: string; bytes: Uint8Array; mimeType?: string }[],
): Promise<Uint8Array> {
  const document = await PDFDocument.load(page);
  for (const file of files) {
    await document.attach(file.bytes, file.name, {
      mimeType: file.mimeType ?? "text/xml",
      afRelationship: AFRelationship.Alternative,
      creationDate: new Date(Date.UTC(2024, 0, 1)),
      modificationDate: new Date(Date.UTC(2024, 0, 1)),
    });
  }
  return document.save({ useObjectStreams: false });
}
