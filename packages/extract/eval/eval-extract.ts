/**
 * pnpm eval:extract <dir> [--out predictions.json]
 *
 * Reads every receipt image under <dir>/img with the same code the worker uses
 * (recognizeImage + extractFields), compares company, date and total with <dir>/key, and
 * prints per-field exact-match rates and the median milliseconds per image.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { extractFields } from "../src/fields";
import { recognizeImage } from "../src/image/recognize";
import { OcrPool } from "../src/ocr/pool";
import { invocationDirectory } from "./env";
import { type FieldScore, isCorrect, scoreAll, scoredFields } from "./score";
import { listSamples, type Prediction, type Sample } from "./sroie";

interface Result {
  sample: Sample;
  prediction: Prediction;
  ms: number;
  error?: string;
}

const usage = "usage: pnpm eval:extract <dir> [--out predictions.json] [--verbose]";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { out: { type: "string" }, verbose: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const [dirArg] = positionals;
  if (!dirArg || positionals.length > 1) throw new Error(usage);
  // pnpm runs root scripts from the repository root; INIT_CWD is where the command was typed.
  const base = invocationDirectory;
  const samples = listSamples(resolve(base, dirArg));

  // Two workers: one per core on the machines this runs on; the pool replaces a stuck one.
  const pool = new OcrPool({ size: 2, jobTimeoutMs: 120_000 });
  const started = performance.now();
  const results = await Promise.all(samples.map((sample) => readSample(pool, sample))).finally(() =>
    pool.close(),
  );
  const wallSeconds = (performance.now() - started) / 1000;

  if (values.out) {
    const predictions = Object.fromEntries(
      results.map((result) => [result.sample.name, result.prediction]),
    );
    writeFileSync(resolve(base, values.out), `${JSON.stringify(predictions, null, 2)}\n`);
  }
  if (values.verbose) printMisses(results);
  printReport(results, wallSeconds);
}

async function readSample(pool: OcrPool, sample: Sample): Promise<Result> {
  const image = readFileSync(sample.imagePath);
  // Timed from when a worker takes the image, so the figure is per image, not queue wait.
  let started = performance.now();
  try {
    const { fields } = await pool.run(async (worker) => {
      started = performance.now();
      const { page } = await recognizeImage(worker, image, 1);
      return extractFields([page]);
    });
    const prediction = {
      company: fields.supplierName?.value ?? null,
      date: fields.invoiceDate?.value ?? null,
      total: fields.total?.value ?? null,
    };
    return { sample, prediction, ms: performance.now() - started };
  } catch (error) {
    const prediction = { company: null, date: null, total: null };
    return { sample, prediction, ms: performance.now() - started, error: String(error) };
  }
}

function printMisses(results: Result[]): void {
  for (const { sample, prediction, error } of results) {
    if (error) console.log(`${sample.name}: ${error}`);
    if (!sample.key) continue;
    for (const field of scoredFields) {
      if (isCorrect(field, sample.key, prediction) === false) {
        console.log(
          `${sample.name} ${field}: expected ${JSON.stringify(sample.key[field])}, got ${JSON.stringify(prediction[field])}`,
        );
      }
    }
  }
}

function printReport(results: Result[], wallSeconds: number): void {
  const scores = scoreAll(
    results.map(({ sample, prediction }) => ({ key: sample.key, prediction })),
  );
  const withoutKey = results.filter((result) => !result.sample.key).length;
  const failed = results.filter((result) => result.error).length;
  const times = results.map((result) => result.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `images: ${results.length} (without a key file: ${withoutKey}; failed to read: ${failed})`,
  );
  for (const field of scoredFields) console.log(formatScore(field, scores[field]));
  console.log(
    `median ms/image: ${median.toFixed(0)} (wall ${wallSeconds.toFixed(1)} s, 2 workers)`,
  );
  console.log(
    "A field missing from a key (or a key file missing) is left out of that field's count.",
  );
}

function formatScore(field: string, score: FieldScore): string {
  const rate = score.counted ? score.correct / score.counted : 0;
  return `${field.padEnd(8)} ${rate.toFixed(3)} (${score.correct}/${score.counted})`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
