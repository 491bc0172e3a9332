/**
 * pnpm eval:rules-on-pages <sroie-dir> <pages-dir> [--merge]
 *     [--verbose]
 *
 * A development aid: scores the field rules over OCR pages stored by eval/ocr-pages.ts, so
 * that a rule can be tried on the same OCR in seconds. With --merge, the stored sparse-text
 * reading is merged in as the worker does (src/image/sparse.ts) before the rules run.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { extractFields } from "../src/fields";
import { mergeSparseReading } from "../src/image/sparse";
import type { Page } from "../src/types";
import { invocationDirectory } from "./env";
import { toPrediction } from "./predictions";
import { isCorrect, scoreAll, scoredFields } from "./score";
import { listSamples } from "./sroie";

const { values, positionals } = parseArgs({
  options: {
    merge: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const [dirArg, pagesArg] = positionals;
if (!dirArg || !pagesArg) throw new Error("usage: rules-on-pages.ts <sroie-dir> <pages-dir>");
const pagesDir = resolve(invocationDirectory, pagesArg);
const keys = [];
for (const sample of listSamples(resolve(invocationDirectory, dirArg))) {
  const file = join(pagesDir, `${sample.name}.json`);
  if (!existsSync(file)) continue;
  const stored = JSON.parse(readFileSync(file, "utf8")) as { page: Page; sparse: Page };
  const page = values.merge ? mergeSparseReading(stored.page, stored.sparse) : stored.page;
  const fields = toPrediction(extractFields([page]).fields);
  const prediction = { company: fields.supplier, date: fields.invoiceDate, total: fields.total };
  keys.push({ key: sample.key, prediction });
  if (values.verbose && sample.key) {
    for (const field of scoredFields) {
      if (isCorrect(field, sample.key, prediction) === false)
        console.log(
          `${sample.name} ${field}: expected ${JSON.stringify(sample.key[field])}, got ${JSON.stringify(prediction[field])}`,
        );
    }
  }
}
const scores = scoreAll(keys);
for (const field of scoredFields) {
  const score = scores[field];
  console.log(
    `${field.padEnd(8)} ${(score.correct / score.counted).toFixed(3)} (${score.correct}/${score.counted})`,
  );
}
