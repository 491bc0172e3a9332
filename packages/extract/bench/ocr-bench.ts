import { type BenchArgs, parseArgs } from "./bench-args";
import { rssAfter, runMemoryChild } from "./memory-run";
import { compareOcr } from "./ocr-comparison";
import { mb, ms, ratio } from "./stats";
import { benchTextLayer } from "./text-layer-bench";

/**
 * pnpm bench:ocr --images <folder of scans> [--count 12] [--psm 6] [--data 4.0.0_best_int]
 *                [--text-pages 20] [--jobs 200] [--recycle 50] [--only ocr,text,rss]
 *
 * 1. tesseract.js against native tesseract 5 on the same scans, same traineddata, same PSM,
 *    one thread each (skipped with a message when `tesseract` is not installed).
 * 2. A text-layer PDF through the extractor: ms per page.
 * 3. RSS of a process running the extractor for --jobs jobs, after 10 jobs and at the end,
 *    with recycling and without.
 */
const args = parseArgs(process.argv.slice(2));

if (args.only.has("ocr")) await ocrSection(args);
if (args.only.has("text")) await textSection(args);
if (args.only.has("rss")) await memorySection(args);

async function ocrSection(args: BenchArgs) {
  console.log(`\n## OCR: tesseract.js vs native tesseract (${args.data}, PSM ${args.psm})`);
  if (!args.images) {
    console.log("skipped: pass --images <folder of JPEG/PNG scans>");
    return;
  }
  const result = await compareOcr(args, args.images);
  console.log(`images: ${result.images}`);
  console.log(`tesseract.js, text only:        median ${ms(result.jsMs)}/page`);
  console.log(
    `tesseract.js, text + blocks:    median ${ms(result.jsBlocksMs)}/page (as the extractor calls it)`,
  );
  if (!result.native) {
    console.log(
      "native tesseract: not installed (apt-get install -y tesseract-ocr); comparison skipped",
    );
    return;
  }
  const { native } = result;
  const engineOnly = native.ms - native.startupMs;
  console.log(`native (${native.version}), OMP_THREAD_LIMIT=1:`);
  console.log(`  per page, process included:   median ${ms(native.ms)}/page`);
  console.log(`  start-up + model load:        median ${ms(native.startupMs)} (8x8 blank image)`);
  console.log(`  per page, start-up excluded:  ${ms(engineOnly)}/page`);
  console.log(`ratio tesseract.js / native (process included):  ${ratio(result.jsMs / native.ms)}`);
  console.log(
    `ratio tesseract.js / native (start-up excluded): ${ratio(result.jsMs / engineOnly)}  (target <= 1.3)`,
  );
  console.log(
    `characters read: tesseract.js ${result.characters.js}, native ${result.characters.native}`,
  );
}

async function textSection(args: BenchArgs) {
  console.log(`\n## Text-layer PDF (${args.textPages} pages, extractor with a pool of one)`);
  const result = await benchTextLayer(args.textPages);
  console.log(
    `median per page: ${ms(result.msPerPage)} (text layer + 150 dpi preview PNG), target < 50 ms`,
  );
  console.log(
    `whole document / pages: ${ms(result.wallMsPerPage)} (fields included), ${result.runs} runs`,
  );
}

async function memorySection(args: BenchArgs) {
  console.log(`\n## RSS over ${args.jobs} jobs (two at a time, pool of availableParallelism())`);
  const childArgs = (recycle: number) => [
    ...(args.images ? ["--images", args.images, "--count", String(args.count)] : []),
    ...["--jobs", String(args.jobs), "--recycle", String(recycle)],
  ];
  for (const recycle of [args.recycleAfter, 1_000_000]) {
    const run = await runMemoryChild(childArgs(recycle));
    const early = rssAfter(run, 10);
    const late = rssAfter(run, args.jobs);
    const peak = Math.max(...run.samples.map((sample) => sample.rss));
    const label = recycle >= 1_000_000 ? "never recycled" : `recycled after ${recycle} jobs`;
    const checkpoints = [10, 50, 100, 150, args.jobs].filter((job) => job <= args.jobs);
    console.log(
      `${label}: RSS after 10 jobs ${mb(early)}, after ${args.jobs} ${mb(late)}, ` +
        `ratio ${ratio(late / early)} (target 0.80–1.20), peak ${mb(peak)}; ` +
        `workers started ${run.stats.started}, recycled ${run.stats.recycled}`,
    );
    console.log(
      `  RSS after ${checkpoints.map((job) => `${job}: ${mb(rssAfter(run, job))}`).join(", ")}`,
    );
  }
}
