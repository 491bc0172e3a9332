/**
 * pnpm bench:memory [invoices-dir] [--suppliers 16] [--length 6] [--seed 7]
 *
 * Corrections teach, measured: sequences of documents from recurring suppliers are read with
 * the worker's extractor; the first of each sequence is "corrected" (every field the rules got
 * wrong is set to the truth and learned, as verifying it does), and the second document
 * onwards is scored with and without that memory. Prints per-field rates with and without,
 * how often memory answered, and how often it broke a value the rules had right.
 *
 * Sequences: the dev set's repeated issuers (invoices-dev: PDFs with invoice2data truth, read
 * from their pages only, the embedded XML ignored), when a folder is given; and generated
 * suppliers whose layouts vary from one document to the next, rendered at run time into
 * artifacts/bench-memory (git-ignored).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { invocationDirectory } from "../eval/env";
import { createExtractor, type Extractor } from "../src/extractor";
import { applyLayout, learnLayout, type SupplierLayout } from "../src/memory";
import type { InvoiceFields, Page } from "../src/types";
import { generateSequences } from "./memory-sequences";

const scored = ["invoiceNumber", "invoiceDate", "total", "currency"] as const;
type Scored = (typeof scored)[number];
type Truth = Record<Scored, string | null>;

interface Doc {
  name: string;
  read: () => Promise<{ fields: InvoiceFields; pages: Page[] }>;
  truth: Truth;
}

interface Tally {
  n: number;
  without: number;
  with: number;
  answered: number;
  broke: number;
}

const { values, positionals } = parseArgs({
  options: {
    suppliers: { type: "string", default: "16" },
    length: { type: "string", default: "6" },
    seed: { type: "string", default: "7" },
  },
  allowPositionals: true,
});

function same(field: Scored, read: string | null | undefined, truth: string): boolean {
  if (!read) return false;
  if (field === "total") return Math.abs(Number(read) - Number(truth)) < 0.005;
  if (field === "invoiceNumber") {
    return read.replace(/\s+/g, "").toUpperCase() === truth.replace(/\s+/g, "").toUpperCase();
  }
  return read === truth;
}

const emptyTally = (): Record<Scored, Tally> =>
  Object.fromEntries(
    scored.map((f) => [f, { n: 0, without: 0, with: 0, answered: 0, broke: 0 }]),
  ) as Record<Scored, Tally>;

/** Corrects the first document, reads the rest with and without what that taught. */
async function runSequence(docs: Doc[], tally: Record<Scored, Tally>): Promise<void> {
  const [first, ...rest] = docs;
  if (!first || rest.length === 0) return;
  const read = await first.read();
  const corrected = scored.filter(
    (f) => first.truth[f] !== null && !same(f, read.fields[f]?.value, first.truth[f] as string),
  );
  let layout: SupplierLayout = { version: 1, fields: {} };
  layout = learnLayout(read.pages, first.truth, corrected, layout).layout;
  for (const doc of rest) {
    const { fields, pages } = await doc.read();
    const remembered = applyLayout(fields, pages, layout).fields;
    for (const f of scored) {
      const truth = doc.truth[f];
      if (truth === null) continue;
      const t = tally[f];
      t.n += 1;
      const before = same(f, fields[f]?.value, truth);
      const after = same(f, remembered[f]?.value, truth);
      if (before) t.without += 1;
      if (after) t.with += 1;
      if (remembered[f]?.source === "memory") t.answered += 1;
      if (before && !after) t.broke += 1;
    }
  }
}

function print(title: string, sequences: number, documents: number, tally: Record<Scored, Tally>) {
  const pct = (k: number, n: number) =>
    n === 0 ? "   -  " : `${((100 * k) / n).toFixed(1).padStart(5)}%`;
  console.log(
    `\n## ${title}: ${sequences} sequences, ${documents} documents (scored: 2nd onwards)`,
  );
  console.log("field           n   without memory   with memory   memory answered   memory broke");
  for (const f of scored) {
    const t = tally[f];
    console.log(
      `${f.padEnd(14)} ${String(t.n).padStart(3)}   ${pct(t.without, t.n).padStart(14)}   ${pct(t.with, t.n).padStart(11)}   ${pct(t.answered, t.n).padStart(15)}   ${String(t.broke).padStart(12)}`,
    );
  }
}

function devSequences(dir: string, extractor: Extractor): Doc[][] {
  const groups = new Map<string, Doc[]>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const pdfPath = join(dir, file.replace(/\.json$/, ".pdf"));
    if (!existsSync(pdfPath)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), "utf8"));
    } catch {
      continue;
    }
    const entry = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown>;
    const issuer = String(entry.issuer ?? "").trim();
    if (!issuer) continue;
    const truth: Truth = {
      invoiceNumber: entry.invoice_number ? String(entry.invoice_number) : null,
      invoiceDate: entry.date ? String(entry.date).slice(0, 10) : null,
      total: typeof entry.amount === "number" ? entry.amount.toFixed(2) : null,
      currency: entry.currency ? String(entry.currency) : null,
    };
    const doc: Doc = { name: file, truth, read: () => readPdf(extractor, readFileSync(pdfPath)) };
    groups.set(issuer, [...(groups.get(issuer) ?? []), doc]);
  }
  return [...groups.values()].filter((docs) => docs.length >= 2);
}

async function readPdf(extractor: Extractor, bytes: Uint8Array) {
  const { extraction } = await extractor.extract(bytes, "application/pdf", { visualOnly: true });
  return { fields: extraction.fields, pages: extraction.pages };
}

async function main() {
  const extractor = createExtractor({ poolSize: 1 });
  try {
    const [devDir] = positionals;
    if (devDir) {
      const sequences = devSequences(resolve(invocationDirectory, devDir), extractor);
      const tally = emptyTally();
      for (const docs of sequences) await runSequence(docs, tally);
      const documents = sequences.reduce((n, docs) => n + docs.length, 0);
      print(`dev set's repeated issuers (${devDir})`, sequences.length, documents, tally);
    } else {
      console.log("\n(dev set skipped: pass the invoices-dev folder as the first argument)");
    }

    const out = resolve(invocationDirectory, "artifacts/bench-memory");
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const generated = await generateSequences(
      Number(values.seed),
      Number(values.suppliers),
      Number(values.length),
    );
    const tally = emptyTally();
    for (const sequence of generated) {
      const docs: Doc[] = sequence.documents.map((doc) => {
        const path = join(out, doc.name);
        writeFileSync(path, doc.pdf);
        return {
          name: doc.name,
          truth: doc.truth,
          read: () => readPdf(extractor, readFileSync(path)),
        };
      });
      await runSequence(docs, tally);
    }
    print(
      `generated suppliers, layouts varying (seed ${values.seed}, in ${out})`,
      generated.length,
      generated.length * Number(values.length),
      tally,
    );
  } finally {
    await extractor.close();
  }
}

await main();
