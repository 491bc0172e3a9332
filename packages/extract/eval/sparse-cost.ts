/**
 * pnpm bench:scan-passes <sroie-dir> [--count 10]
 *
 * What the passes of [2/7] cost (the sparse pass over missed bands and the re-read date rows):
 * each image is read by one worker without them and with them, alternately, and the process's CPU time (every thread: tesseract's worker and
 * sharp's) is measured around each reading. CPU time, not wall time, so that other work on
 * the machine does not show up in the ratio.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { median } from "../bench/stats";
import { recognizeImage } from "../src/image/recognize";
import { createTesseractWorker } from "../src/ocr/tesseract-worker";
import { invocationDirectory } from "./env";
import { listSamples } from "./sroie";

const { values, positionals } = parseArgs({
  options: { count: { type: "string", default: "10" } },
  allowPositionals: true,
});
const [dirArg] = positionals;
if (!dirArg) throw new Error("usage: sparse-cost.ts <sroie-dir> [--count N]");
const all = listSamples(resolve(invocationDirectory, dirArg));
const count = Number(values.count);
// Spread over the set, not its first few.
const samples = Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
const worker = await createTesseractWorker();
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const without: number[] = [];
const withSparse: number[] = [];
try {
  const first = samples[0];
  if (first) await recognizeImage(worker, new Uint8Array(readFileSync(first.imagePath)), 1);
  for (const sample of samples) {
    if (!sample) continue;
    const bytes = new Uint8Array(readFileSync(sample.imagePath));
    let started = cpu();
    await recognizeImage(worker, bytes, 1, { sparseBands: false, rereadDates: false });
    const before = cpu() - started;
    started = cpu();
    await recognizeImage(worker, bytes, 1);
    const after = cpu() - started;
    without.push(before);
    withSparse.push(after);
    console.log(
      `${sample.name} CPU ms without ${before.toFixed(0)}, with ${after.toFixed(0)} (${(after / before).toFixed(2)}×)`,
    );
  }
} finally {
  await worker.terminate();
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
console.log(
  `median CPU ms/image: without ${median(without).toFixed(0)}, with ${median(withSparse).toFixed(0)}; total ratio ${(sum(withSparse) / sum(without)).toFixed(2)}×`,
);
