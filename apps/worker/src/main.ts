import { createExtractor } from "@remit/extract";
import pino from "pino";
import { parseWorkerConfig } from "./env";
import { Worker } from "./worker";

const config = parseWorkerConfig(process.env, process.argv.slice(2));
const logger = pino({ level: config.LOG_LEVEL }).child({ workerId: config.WORKER_ID });
const extractor = createExtractor({
  poolSize: config.WORKER_CONCURRENCY,
  pageTimeoutMs: config.OCR_PAGE_TIMEOUT_MS,
  recycleAfter: config.OCR_RECYCLE_AFTER,
});
const worker = new Worker({
  url: config.REMIT_URL,
  workerSecret: config.REMIT_WORKER_SECRET,
  workerId: config.WORKER_ID,
  concurrency: config.WORKER_CONCURRENCY,
  pollIntervalMs: config.POLL_INTERVAL_MS,
  maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
  extractor,
  logger,
});
worker.start();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, inFlight: worker.inFlight }, "stopping: finishing or releasing jobs");
  await worker.stop(config.SHUTDOWN_GRACE_MS);
  await extractor.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
