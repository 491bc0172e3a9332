import type { ExtractedField } from "../types";
import { fieldFrom } from "./confidence";
import type { DocumentContext } from "./context";
import { spanOf } from "./rows";

/**
 * The supplier's tax or registration number, by label. Tax identifiers (VAT, GST, USt-IdNr,
 * TIN, ABN, EIN) win over company registration numbers, which are the fallback.
 */
const taxLabel =
  /\b(?:VAT|GST|SST|USt[-.\s]?Id(?:[-.\s]?Nr)?\.?|USt|UID|TIN|ABN|EIN|Tax\s*(?:ID|No|Number|Reg(?:istration)?)|Steuer(?:nummer|[-\s]?Nr)|St\.?-?Nr|N°\s*TVA|TVA)(?![A-Za-z])(?:\s*(?:ID|Reg(?:istration)?|No|Number|Nr)\b\.?)*\s*[:.#]?\s*/i;
const registrationLabel =
  /\b(?:Co(?:mpany)?\.?\s*(?:Reg(?:istration)?|No)|ROC|Reg(?:istration)?\s*No|HRB|Handelsregister|Company\s*Number|CRN)\b\.?(?:\s*(?:No|Number)\b\.?)?\s*[:.#]?\s*/i;
// An identifier: optional country prefix, then digits in groups (spaces or dashes allowed),
// optionally a check letter ("289892-V").
const identifier = /^[(\s]*([A-Z]{2}\s?)?(\d[\d\s-]{4,18}\d(?:-?[A-Z])?|\d{5,}[-\s]?[A-Z])\b/;

export function findSupplierTaxId(context: DocumentContext): ExtractedField | null {
  for (const [label, evidence] of [
    [taxLabel, 0.9],
    [registrationLabel, 0.6],
  ] as const) {
    for (const row of context.rows) {
      const match = label.exec(row.text);
      if (!match) continue;
      const offset = match.index + match[0].length;
      const value = identifier.exec(row.text.slice(offset));
      if (!value) continue;
      const raw = value[0].replace(/^[(\s]+/, "");
      const start = offset + value[0].indexOf(raw);
      const normalised = raw.replace(/\s+/g, " ").trim();
      if (normalised.replace(/\D/g, "").length < 5) continue;
      return fieldFrom(normalised, spanOf(row, start, start + raw.length), evidence);
    }
  }
  return null;
}
