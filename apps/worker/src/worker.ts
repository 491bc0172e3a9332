import { setTimeout as sleep } from "node:timers/promises";
import { createWorkerClient } from "@remit/client";
import type { Extractor } from "@remit/extract";
import type { Logger } from "pino";
import { JobRun } from "./job-run";

export interface WorkerOptions {
  url: string;
  workerSecret: string;
  workerId: string;
  concurrency: number;
  pollIntervalMs: number;
  maxDocumentBytes: number;
  extractor: Extractor;
  logger: Logger;
}

/** How long a slot asks the API to hold its claim for a job (the API caps it; see job.claim). */
const claimWaitSeconds = 25;

/**
 * `concurrency` slots, each claiming and running one job at a time. An idle slot's claim waits
 * at the API until a job is queued (job.claim's waitSeconds: woken by the upload itself, so a
 * document is taken at once); a claim that came back empty sooner than pollIntervalMs (an API
 * that does not wait) is followed by a pause for the rest of it. When the API cannot be reached it backs off up to 30 s. stop()
 * claims nothing more, lets jobs in flight finish within the grace period, and releases the
 * rest so another worker takes them at once instead of after their lease.
 */
export class Worker {
  private readonly client;
  private readonly running = new Set<JobRun>();
  private readonly stopping = new AbortController();
  private slots: Promise<void>[] = [];
  readonly counts = { succeeded: 0, failed: 0, retrying: 0, lost: 0, released: 0, stale: 0 };

  constructor(private readonly options: WorkerOptions) {
    this.client = createWorkerClient({ url: options.url, workerSecret: options.workerSecret });
  }

  start(): void {
    this.options.logger.info(
      { workerId: this.options.workerId, concurrency: this.options.concurrency },
      "worker started",
    );
    this.slots = Array.from({ length: this.options.concurrency }, (_, slot) => this.slot(slot));
  }

  get inFlight(): number {
    return this.running.size;
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping.abort();
    const finished = Promise.all(this.slots).then(() => true);
    const inTime = await Promise.race([finished, sleep(graceMs, false)]);
    if (!inTime) {
      await Promise.all([...this.running].map((run) => run.release()));
      this.counts.released += this.running.size;
    }
    this.options.logger.info({ counts: this.counts }, "worker stopped");
  }

  private async slot(slot: number): Promise<void> {
    const { logger } = this.options;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let claimed: Awaited<ReturnType<typeof this.client.job.claim.mutate>>;
      const asked = performance.now();
      // stop() ends a waiting claim at once rather than after its wait. A signal per call: the
      // transport adds a listener to the signal it is given, and would pile them on one shared.
      const call = new AbortController();
      const onStop = () => call.abort();
      this.stopping.signal.addEventListener("abort", onStop, { once: true });
      try {
        claimed = await this.client.job.claim.mutate(
          { workerId: this.options.workerId, waitSeconds: claimWaitSeconds },
          { signal: call.signal },
        );
        failures = 0;
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        failures++;
        const wait = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        // One line, not a stack: an API that is starting or restarting is an expected state.
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn({ slot, reason, retryInMs: wait }, "claim failed; the API is not reachable");
        await this.pause(wait);
        continue;
      } finally {
        this.stopping.signal.removeEventListener("abort", onStop);
      }
      if (!claimed) {
        await this.pause(this.options.pollIntervalMs - (performance.now() - asked));
        continue;
      }
      const run = new JobRun(claimed, this.options);
      this.running.add(run);
      try {
        const outcome = await run.run();
        this.counts[outcome]++;
      } catch (error) {
        logger.error({ slot, jobId: run.jobId, err: error }, "job run crashed");
      } finally {
        this.running.delete(run);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => {});
  }
}
