import { createExtractor } from "../src/extractor";
import { parseArgs } from "./bench-args";
import { type BenchDocument, invoiceScanPng, invoiceTextPdf, readImage } from "./bench-documents";
import { listImages } from "./ocr-comparison";

/**
 * Runs as a child of ocr-bench.ts, alone in its process, so its RSS is the extractor's.
 * Jobs cycle through a 3-page text PDF, a generated scan and (with --images) real scans,
 * two at a time as a worker process would, and RSS is sampled after every job (after a
 * full GC, so that garbage JS objects do not blur what the WASM heaps hold).
 * Prints one JSON line: the samples and the pool's counters.
 */
const args = parseArgs(process.argv.slice(2));
const { recycleAfter } = args;

const documents: BenchDocument[] = [
  { name: "text.pdf", bytes: await invoiceTextPdf(3), type: "application/pdf" },
  { name: "scan.png", bytes: await invoiceScanPng(), type: "image/png" },
  ...(args.images ? listImages(args.images, args.count).map(readImage) : []),
];

const extractor = createExtractor({ recycleAfter });
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const samples: { job: number; rss: number }[] = [];
let started = 0;
let done = 0;

async function lane() {
  while (started < args.jobs) {
    const document = documents[started % documents.length];
    started += 1;
    if (!document) return;
    await extractor.extract(document.bytes, document.type);
    done += 1;
    collect();
    samples.push({ job: done, rss: process.memoryUsage().rss });
  }
}

await Promise.all([lane(), lane()]);
const stats = extractor.stats();
await extractor.close();
console.log(JSON.stringify({ recycleAfter, samples, stats }));
