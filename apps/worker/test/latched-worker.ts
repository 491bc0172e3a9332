import { createHash } from "node:crypto";
import { type Extractor, OcrPool, type OcrPoolOptions } from "@remit/extract";
import { parseWorkerConfig } from "../src/env";
import { createWorkerExtractor, runWorkerProcess } from "../src/run";

/*
 * The worker process exactly as src/main.ts runs it, but its extractor waits on a latch the test
 * holds: it tells the test (over IPC) when it starts on a document, and reads it only when the
 * test has said how. So "the job is running" and "the worker is busy" are facts the test waits
 * for, not bets that OCR of some image is slow enough.
 */

/** How the worker treats a document: read it for real, or hang like a page that defeats OCR. */
export type Verdict = "read" | "time out";
/** Worker to test: it has begun to extract the document with this SHA-256. */
export interface ExtractingMessage {
  extracting: string;
}
/** Test to worker: the verdict for the document with this SHA-256, now and on every attempt. */
export interface VerdictMessage {
  sha256: string;
  verdict: Verdict;
}

const config = parseWorkerConfig(process.env, process.argv.slice(2));
const real = createWorkerExtractor(config);
// A hung page on a real OCR pool: its job never settles, so the pool's page timeout stops the
// worker and fails the attempt exactly as it does for a page that takes too long. The worker is a
// stand-in for a tesseract thread (nothing runs on it; that a real thread is killed is the OCR
// pool's own test in packages/extract), so each attempt does not start one.
type CreateWorker = NonNullable<OcrPoolOptions["createWorker"]>;
const standIn: CreateWorker = async () =>
  ({ terminate: async () => {} }) as unknown as Awaited<ReturnType<CreateWorker>>;
const hanging = new OcrPool({
  size: 1,
  jobTimeoutMs: config.OCR_PAGE_TIMEOUT_MS,
  createWorker: standIn,
});

const verdicts = new Map<string, Verdict>();
const waiting = new Map<string, Array<(verdict: Verdict) => void>>();
process.on("message", (message: VerdictMessage) => {
  verdicts.set(message.sha256, message.verdict);
  for (const resolve of waiting.get(message.sha256) ?? []) resolve(message.verdict);
  waiting.delete(message.sha256);
});

function verdictFor(sha256: string): Promise<Verdict> {
  const known = verdicts.get(sha256);
  if (known) return Promise.resolve(known);
  return new Promise((resolve) => waiting.set(sha256, [...(waiting.get(sha256) ?? []), resolve]));
}

const latched: Extractor = {
  async extract(bytes, mimeType, options) {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    process.send?.({ extracting: sha256 } satisfies ExtractingMessage);
    const verdict = await verdictFor(sha256);
    if (verdict === "time out") return hanging.run(() => new Promise<never>(() => {}));
    return real.extract(bytes, mimeType, options);
  },
  stats: () => real.stats(),
  async close() {
    await Promise.all([real.close(), hanging.close()]);
  },
};

runWorkerProcess(config, latched);
