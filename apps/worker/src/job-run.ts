import {
  createJobClient,
  DocumentTooLargeError,
  fetchDocument,
  putPagePreview,
  type RemitOutputs,
  TRPCClientError,
} from "@remit/client";
import { type DocumentType, ExtractError, type Extractor } from "@remit/extract";
import type { Logger } from "pino";
import { LeaseKeeper } from "./lease-keeper";
import { toReport } from "./report";

export type ClaimedJob = NonNullable<RemitOutputs["job"]["claim"]>;
export type JobOutcome = "succeeded" | "failed" | "retrying" | "lost" | "released" | "stale";

export interface JobRunDeps {
  url: string;
  extractor: Extractor;
  logger: Logger;
  maxDocumentBytes: number;
}

/**
 * One attempt at one job, with that job's token only: download the document from the link the
 * claim gave, extract, store the page previews, and complete — or fail with a sentence a person
 * can read on the invoice. A document that cannot be read fails for good; a timeout or a
 * transport error is retried by the queue with a backoff.
 */
export class JobRun {
  private readonly jobClient;
  private readonly lease: LeaseKeeper;
  private readonly log: Logger;
  /** Set by release(): this attempt must not report anything more. */
  private released = false;

  constructor(
    private readonly claimed: ClaimedJob,
    private readonly deps: JobRunDeps,
  ) {
    this.jobClient = createJobClient(deps.url, claimed.token);
    this.log = deps.logger.child({
      jobId: claimed.job.id,
      invoiceId: claimed.job.invoiceId,
      attempt: claimed.job.attempt,
    });
    this.lease = new LeaseKeeper(
      { id: claimed.job.id, leaseSeconds: claimed.leaseSeconds },
      this.jobClient,
      this.log,
    );
  }

  get jobId(): string {
    return this.claimed.job.id;
  }

  async run(): Promise<JobOutcome> {
    const { job } = this.claimed;
    const started = Date.now();
    this.lease.start();
    try {
      const bytes = await fetchDocument(
        this.claimed.documentUrl,
        this.jobClient.token,
        this.deps.maxDocumentBytes,
      );
      const { extraction, previews } = await this.deps.extractor.extract(
        bytes,
        job.contentType as DocumentType,
        { onProgress: (percent) => this.lease.report(Math.min(95, percent)) },
      );
      if (this.lease.lost.aborted) return "lost";
      if (this.released) return "released";
      for (const preview of previews) {
        await putPagePreview(
          this.deps.url,
          { id: job.id, token: this.jobClient.token },
          preview.page,
          preview.png,
        );
      }
      await this.lease.stop();
      if (this.released) return "released";
      const result = await this.jobClient.client.job.complete.mutate({
        jobId: job.id,
        extraction: toReport(extraction),
      });
      this.log.info(
        { ms: Date.now() - started, pages: extraction.pages.length, applied: result.applied },
        result.applied ? "job completed" : "job result ignored: the attempt no longer held it",
      );
      return result.applied ? "succeeded" : "stale";
    } catch (error) {
      await this.lease.stop();
      if (this.lease.lost.aborted) return "lost";
      if (this.released) return "released";
      return this.fail(error);
    }
  }

  /** Gives the job back for another worker (this process is stopping and cannot finish it). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.lease.stop();
    await this.jobClient.client.job.release.mutate({ jobId: this.jobId }).catch((error) => {
      // The lease runs out in any case, and the job is claimed again then.
      this.log.warn({ err: error }, "release failed; the lease will expire instead");
    });
    this.log.info("job released for another worker");
  }

  private async fail(error: unknown): Promise<JobOutcome> {
    const { message, retryable } = describe(error);
    this.log.warn({ err: error, retryable }, `job failed: ${message}`);
    const result = await this.jobClient.client.job.fail
      .mutate({ jobId: this.jobId, error: message, retryable })
      .catch((reportError) => {
        this.log.error({ err: reportError }, "could not report the failure; the lease will expire");
        return null;
      });
    if (!result) return "lost";
    return result.status === "queued" ? "retrying" : "failed";
  }
}

/** What the person reviewing the invoice reads, and whether trying again could help. */
function describe(error: unknown): { message: string; retryable: boolean } {
  if (error instanceof ExtractError) {
    return { message: error.message, retryable: error.code === "timeout" };
  }
  if (error instanceof DocumentTooLargeError) return { message: error.message, retryable: false };
  // The API refused what was read (a value it cannot store): reading again gives the same.
  if (error instanceof TRPCClientError && error.data?.code === "BAD_REQUEST") {
    return { message: `the extraction could not be stored: ${error.message}`, retryable: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `the document could not be processed: ${message}`.slice(0, 500),
    retryable: true,
  };
}
