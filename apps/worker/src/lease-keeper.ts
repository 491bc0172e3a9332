import type { createJobClient } from "@remit/client";
import type { Logger } from "pino";

type JobClient = ReturnType<typeof createJobClient>;

/**
 * Keeps a claimed job's lease alive while the work runs: a heartbeat every third of the lease,
 * and sooner when progress moves (at most once a second), so the SPA sees pages being read.
 * Each heartbeat renews the job token. If the server says the lease is gone (another worker
 * has the job now), `lost` fires and this attempt must not report anything more.
 */
export class LeaseKeeper {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private progress = 0;
  private sentProgress = -1;
  private lastBeat = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly job: { id: string; leaseSeconds: number },
    private readonly client: JobClient,
    private readonly logger: Logger,
  ) {}

  get lost(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    const every = Math.max(1000, (this.job.leaseSeconds * 1000) / 3);
    this.timer = setInterval(() => void this.beat(), every);
    this.timer.unref();
  }

  report(progress: number): void {
    this.progress = Math.round(progress);
    if (this.progress !== this.sentProgress && Date.now() - this.lastBeat >= 1000) void this.beat();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private beat(): Promise<void> {
    if (this.inFlight || this.lost.aborted) return this.inFlight ?? Promise.resolve();
    this.lastBeat = Date.now();
    const progress = this.progress;
    this.inFlight = this.client.client.job.heartbeat
      .mutate({ jobId: this.job.id, progress })
      .then((renewed) => {
        this.sentProgress = progress;
        this.client.setToken(renewed.token);
      })
      .catch((error: { data?: { code?: string } }) => {
        if (error.data?.code === "CONFLICT" || error.data?.code === "NOT_FOUND") {
          this.logger.warn({ jobId: this.job.id }, "lease lost: another worker has the job now");
          this.controller.abort();
        } else {
          // The API may be restarting; the lease outlives a few missed beats.
          this.logger.warn({ jobId: this.job.id, err: error }, "heartbeat failed; will retry");
        }
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}
