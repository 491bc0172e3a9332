/**
 * pnpm eval:ocr-pages <sroie-dir> <out-dir> [--only REGEX] [--page-only]
 *
 * A development aid: reads each receipt once and stores the OCR pages as JSON, so that field
 * rules can be scored again over the same OCR in seconds (eval/rules-on-pages.ts) instead of
 * minutes. Stores the page the worker would produce ("page") and a whole-page sparse-text
 * reading (PSM 11, "sparse"), with the milliseconds of each; --page-only stores the first alone.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { prepareImage } from "../src/image/prepare";
import { recognizeImage } from "../src/image/recognize";
import { toPage } from "../src/image/to-page";
import { createTesseractWorker } from "../src/ocr/tesseract-worker";
import { invocationDirectory } from "./env";
import { listSamples } from "./sroie";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { only: { type: "string" }, "page-only": { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const [dirArg, outArg] = positionals;
  if (!dirArg || !outArg) throw new Error("usage: ocr-pages.ts <sroie-dir> <out-dir>");
  const out = resolve(invocationDirectory, outArg);
  mkdirSync(out, { recursive: true });
  let samples = listSamples(resolve(invocationDirectory, dirArg));
  if (values.only) samples = samples.filter((s) => new RegExp(values.only as string).test(s.name));
  let next = 0;
  const lane = async () => {
    const worker = await createTesseractWorker();
    try {
      while (next < samples.length) {
        const sample = samples[next++];
        if (!sample) break;
        const bytes = new Uint8Array(readFileSync(sample.imagePath));
        let started = performance.now();
        const { page } = await recognizeImage(worker, bytes, 1);
        const pageMs = performance.now() - started;
        if (values["page-only"]) {
          writeFileSync(join(out, `${sample.name}.json`), JSON.stringify({ page, pageMs }));
          console.log(`${sample.name} ${pageMs.toFixed(0)} ms`);
          continue;
        }
        started = performance.now();
        const prepared = await prepareImage(bytes);
        await worker.setParameters({ tessedit_pageseg_mode: "11" as never });
        const result = await worker.recognize(prepared.ocrInput, {}, { blocks: true });
        const sparse = toPage(result.data, 1, { width: prepared.width, height: prepared.height });
        const sparseMs = performance.now() - started;
        writeFileSync(
          join(out, `${sample.name}.json`),
          JSON.stringify({ page, pageMs, sparse, sparseMs }),
        );
        console.log(`${sample.name} ${pageMs.toFixed(0)} ms + sparse ${sparseMs.toFixed(0)} ms`);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all([lane(), lane()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
