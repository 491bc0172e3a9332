import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { DocumentType } from "../src/extractor";

/**
 * A folder of invoices laid out like invoice2data's tests: NAME.pdf|.jpg|.png|.xml with
 * NAME.json beside it holding the expected output (an object, or a one-element array of it).
 */
interface InvoiceSample {
  name: string;
  path: string;
  type: DocumentType;
  truth: InvoiceTruth | null;
}

/** invoice2data's expected-output shape, as far as the eval reads it. */
export interface InvoiceTruth {
  issuer?: string | null;
  amount?: number | string | null;
  amount_due?: number | string | null;
  date?: string | null;
  invoice_number?: string | null;
  currency?: string | null;
  /** UNTDID 1001 (380 invoice, 381 credit note, ...); optional. */
  type_code?: string | null;
}

const types: Record<string, DocumentType> = {
  ".pdf": "application/pdf",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".xml": "application/xml",
};

export function listInvoiceSamples(dir: string): InvoiceSample[] {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
  return readdirSync(dir)
    .filter((file) => types[extname(file).toLowerCase()] !== undefined)
    .sort()
    .map((file) => {
      const name = basename(file, extname(file));
      const truthPath = join(dir, `${name}.json`);
      return {
        name,
        path: join(dir, file),
        type: types[extname(file).toLowerCase()] as DocumentType,
        truth: existsSync(truthPath) ? readTruth(truthPath) : null,
      };
    });
}

function readTruth(path: string): InvoiceTruth | null {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as InvoiceTruth | InvoiceTruth[];
  return (Array.isArray(parsed) ? parsed[0] : parsed) ?? null;
}
