/**
 * pnpm eval:extract <dir> [--out predictions.json] [--visual-only] [--verbose]
 *                         [--only REGEX] [--limit N]
 *
 * Reads every document of <dir> through createExtractor().extract, the entry point the worker
 * calls (apps/worker/src/job-run.ts), and compares the fields with the truth beside them.
 * Two layouts of <dir>:
 * - SROIE receipts: <dir>/img/NAME.jpg with <dir>/key/NAME.json ({ company, date, total }).
 * - invoices: <dir>/NAME.pdf|.jpg|.png|.xml with NAME.json in invoice2data's expected-output
 *   shape (issuer, amount, amount_due, date, invoice_number, currency, type_code).
 * Prints per-field exact-match rates and the median milliseconds per document.
 *
 * --out writes { NAME: { supplier, invoiceNumber, invoiceDate, dueDate, total, amountDue,
 * currency } }: strings, ISO dates, null where nothing was read (see predictions.ts).
 * --visual-only reads the pages alone, ignoring embedded e-invoice data.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { median } from "../bench/stats";
import { createExtractor, type DocumentType, type Extractor } from "../src/extractor";
import { invocationDirectory } from "./env";
import {
  expectedValues,
  type InvoiceField,
  invoiceFields,
  matches,
  predictedValue,
} from "./invoice-score";
import { type InvoiceTruth, listInvoiceSamples } from "./invoices";
import { emptyPrediction, type Prediction, toPrediction } from "./predictions";
import { type FieldScore, isCorrect, scoreAll, scoredFields } from "./score";
import { type Key, listSamples } from "./sroie";

interface Document {
  name: string;
  path: string;
  type: DocumentType;
  truth: { kind: "sroie"; key: Key | null } | { kind: "invoice"; truth: InvoiceTruth | null };
}

interface Result {
  document: Document;
  prediction: Prediction;
  ms: number;
  error?: string;
}

const usage =
  "usage: pnpm eval:extract <dir> [--out predictions.json] [--visual-only] [--verbose] [--only REGEX] [--limit N]";
/** OCR workers, one per core of the machines this runs on; also how many documents run at once. */
const workers = 2;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      out: { type: "string" },
      verbose: { type: "boolean", default: false },
      "visual-only": { type: "boolean", default: false },
      only: { type: "string" },
      limit: { type: "string" },
    },
    allowPositionals: true,
  });
  const [dirArg] = positionals;
  if (!dirArg || positionals.length > 1) throw new Error(usage);
  // pnpm runs root scripts from the repository root; INIT_CWD is where the command was typed.
  const dir = resolve(invocationDirectory, dirArg);
  const sroie = existsSync(join(dir, "img"));
  let documents = sroie ? sroieDocuments(dir) : invoiceDocuments(dir);
  if (values.only) {
    const only = new RegExp(values.only);
    documents = documents.filter((document) => only.test(document.name));
  }
  if (values.limit) documents = documents.slice(0, Number(values.limit));
  if (documents.length === 0) throw new Error(`no documents in ${dir}\n${usage}`);

  const extractor = createExtractor({ poolSize: workers, pageTimeoutMs: 120_000, maxPages: 50 });
  const visualOnly = values["visual-only"];
  const started = performance.now();
  let results: Result[];
  try {
    // One untimed read first: mupdf's fonts, sharp and a tesseract worker load on first use.
    const first = documents[0] as Document;
    await extractor.extract(readFileSync(first.path), first.type, { visualOnly }).catch(() => {});
    // Scans share the OCR pool two at a time; text-layer documents are read one at a time,
    // so that each one's milliseconds are its own.
    const concurrency = documents.some((document) => document.type.startsWith("image/"))
      ? workers
      : 1;
    results = await readAll(extractor, documents, concurrency, visualOnly);
  } finally {
    await extractor.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;

  if (values.out) {
    const predictions = Object.fromEntries(
      results.map((result) => [result.document.name, result.prediction]),
    );
    writeFileSync(
      resolve(invocationDirectory, values.out),
      `${JSON.stringify(predictions, null, 2)}\n`,
    );
  }
  if (sroie) {
    if (values.verbose) printSroieMisses(results);
    printSroieReport(results, wallSeconds);
  } else {
    if (values.verbose) printInvoiceMisses(results);
    printInvoiceReport(results, wallSeconds, visualOnly);
  }
}

function sroieDocuments(dir: string): Document[] {
  return listSamples(dir).map((sample) => ({
    name: sample.name,
    path: sample.imagePath,
    type: /\.png$/i.test(sample.imagePath) ? "image/png" : "image/jpeg",
    truth: { kind: "sroie", key: sample.key },
  }));
}

function invoiceDocuments(dir: string): Document[] {
  return listInvoiceSamples(dir).map((sample) => ({
    name: sample.name,
    path: sample.path,
    type: sample.type,
    truth: { kind: "invoice", truth: sample.truth },
  }));
}

async function readAll(
  extractor: Extractor,
  documents: Document[],
  concurrency: number,
  visualOnly: boolean,
): Promise<Result[]> {
  const results: Result[] = new Array(documents.length);
  let next = 0;
  const lane = async () => {
    while (next < documents.length) {
      const index = next++;
      results[index] = await readOne(extractor, documents[index] as Document, visualOnly);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

async function readOne(
  extractor: Extractor,
  document: Document,
  visualOnly: boolean,
): Promise<Result> {
  const bytes = new Uint8Array(readFileSync(document.path));
  const started = performance.now();
  try {
    const { extraction } = await extractor.extract(bytes, document.type, { visualOnly });
    return {
      document,
      prediction: toPrediction(extraction.fields),
      ms: performance.now() - started,
    };
  } catch (error) {
    return {
      document,
      prediction: emptyPrediction,
      ms: performance.now() - started,
      error: String(error),
    };
  }
}

function sroiePrediction(prediction: Prediction) {
  return { company: prediction.supplier, date: prediction.invoiceDate, total: prediction.total };
}

function printSroieMisses(results: Result[]): void {
  for (const { document, prediction, error } of results) {
    if (error) console.log(`${document.name}: ${error}`);
    if (document.truth.kind !== "sroie" || !document.truth.key) continue;
    const key = document.truth.key;
    const predicted = sroiePrediction(prediction);
    for (const field of scoredFields) {
      if (isCorrect(field, key, predicted) === false) {
        console.log(
          `${document.name} ${field}: expected ${JSON.stringify(key[field])}, got ${JSON.stringify(predicted[field])}`,
        );
      }
    }
  }
}

function printSroieReport(results: Result[], wallSeconds: number): void {
  const keys = results.map(({ document, prediction }) => ({
    key: document.truth.kind === "sroie" ? document.truth.key : null,
    prediction: sroiePrediction(prediction),
  }));
  const scores = scoreAll(keys);
  const withoutKey = keys.filter((item) => !item.key).length;
  const failed = results.filter((result) => result.error).length;
  console.log(
    `images: ${results.length} (without a key file: ${withoutKey}; failed to read: ${failed})`,
  );
  for (const field of scoredFields) console.log(formatScore(field, scores[field]));
  console.log(
    `median ms/image: ${median(results.map((result) => result.ms)).toFixed(0)} (wall ${wallSeconds.toFixed(1)} s, ${workers} workers)`,
  );
  console.log(
    "A field missing from a key (or a key file missing) is left out of that field's count.",
  );
}

function invoiceScores(results: Result[]): Record<InvoiceField, FieldScore> {
  const scores = Object.fromEntries(
    invoiceFields.map((field) => [field, { correct: 0, counted: 0 }]),
  ) as Record<InvoiceField, FieldScore>;
  for (const { document, prediction } of results) {
    if (document.truth.kind !== "invoice" || !document.truth.truth) continue;
    const expected = expectedValues(document.truth.truth);
    for (const field of invoiceFields) {
      const value = expected[field];
      if (value === null) continue;
      scores[field].counted += 1;
      if (matches(field, value, predictedValue(prediction, field))) scores[field].correct += 1;
    }
  }
  return scores;
}

function printInvoiceMisses(results: Result[]): void {
  for (const { document, prediction, error } of results) {
    if (error) console.log(`${document.name}: ${error}`);
    if (document.truth.kind !== "invoice" || !document.truth.truth) continue;
    const expected = expectedValues(document.truth.truth);
    for (const field of invoiceFields) {
      const value = expected[field];
      const got = predictedValue(prediction, field);
      if (value !== null && !matches(field, value, got)) {
        console.log(
          `${document.name} ${field}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`,
        );
      }
    }
  }
}

function printInvoiceReport(results: Result[], wallSeconds: number, visualOnly: boolean): void {
  const withoutTruth = results.filter(
    (result) => result.document.truth.kind === "invoice" && !result.document.truth.truth,
  ).length;
  const failed = results.filter((result) => result.error).length;
  console.log(
    `documents: ${results.length}${visualOnly ? " (visual only)" : ""} (without a truth file: ${withoutTruth}; failed to read: ${failed})`,
  );
  const scores = invoiceScores(results);
  for (const field of invoiceFields) console.log(formatScore(field, scores[field]));
  console.log(
    `median ms/document: ${median(results.map((result) => result.ms)).toFixed(1)} (wall ${wallSeconds.toFixed(1)} s)`,
  );
  console.log("A field the truth leaves empty is left out of that field's count.");
}

function formatScore(field: string, score: FieldScore): string {
  const rate = score.counted ? score.correct / score.counted : 0;
  return `${field.padEnd(9)} ${rate.toFixed(3)} (${score.correct}/${score.counted})`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
