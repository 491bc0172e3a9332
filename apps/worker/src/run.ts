import { createExtractor, type Extractor } from "@remit/extract";
import pino from "pino";
import type { WorkerEnv } from "./env";
import { Worker } from "./worker";

/** The extractor a worker process reads documents with, as its configuration sets it up. */
export function createWorkerExtractor(config: WorkerEnv): Extractor {
  return createExtractor({
    poolSize: config.WORKER_CONCURRENCY,
    pageTimeoutMs: config.OCR_PAGE_TIMEOUT_MS,
    recycleAfter: config.OCR_RECYCLE_AFTER,
  });
}

/**
 * Runs a worker process: claims until SIGTERM or SIGINT, then finishes or releases the jobs in
 * flight and exits. The extractor is a parameter so that the fault tests can run this same
 * process around an extractor they hold on a latch.
 */
export function runWorkerProcess(config: WorkerEnv, extractor: Extractor): void {
  const logger = pino({ level: config.LOG_LEVEL }).child({ workerId: config.WORKER_ID });
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
}
