import { claimOcrJob, completeOcrJob, failOcrJob, heartbeatOcrJob, releaseOcrJob } from "@remit/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "../audit";
import type { Context } from "../context";
import { issueFileLink } from "../files/file-links";
import { applyExtraction } from "../jobs/apply-extraction";
import { extractionInput } from "../jobs/extraction-input";
import { issueJobToken, type JobClaims } from "../jobs/job-token";
import { workerActorId } from "../jobs/worker-credential";
import { documentById } from "../queries/documents";
import { jobQueuedAt } from "../queries/jobs";
import { inTenantTransaction, jobActor } from "../request/steps";
import { jobProcedure, router, workerProcedure } from "../trpc";

/*
 * The OCR worker's side of the queue. The worker's credential only claims; the claim hands back
 * a token for that one attempt and a signed link to that one document, and every later call
 * (heartbeat, complete, fail) is made with the token and fenced by the attempt in it.
 */

const lost = () =>
  new TRPCError({
    code: "CONFLICT",
    message: "this attempt no longer holds the job (its lease ran out and it was claimed again)",
  });

async function tokenFor(
  ctx: {
    deps: {
      service: { jobTokenKey: Uint8Array; issuer: string };
      queue: { jobTokenSeconds: number };
    };
  },
  claims: JobClaims,
) {
  return issueJobToken(
    ctx.deps.service.jobTokenKey,
    ctx.deps.service.issuer,
    claims,
    ctx.deps.queue.jobTokenSeconds,
  );
}

/** One look at the queue: lease the next due job to this worker, with its token and link. */
async function claimNext(ctx: Context, workerId: string) {
  const { deps } = ctx;
  const claimed = await claimOcrJob(deps.db, {
    workerId,
    leaseSeconds: deps.queue.leaseSeconds,
  });
  if (!claimed) return null;
  const actor = jobActor(claimed);
  const document = await inTenantTransaction(ctx, actor, ({ db }) =>
    documentById(db, claimed.documentId),
  );
  // The invoice was deleted between the claim and now: its job went with it.
  if (!document) return null;
  const claims: JobClaims = { ...claimed, workerId: workerId };
  const { token, expiresAt } = await tokenFor(ctx, claims);
  const documentUrl = issueFileLink(deps.fileLinks, {
    key: document.storageKey,
    tenantId: claimed.tenantId,
    userId: workerActorId,
    expiresInSeconds: deps.queue.jobTokenSeconds,
    contentType: document.contentType,
    filename: document.originalFilename ?? "document",
  });
  // The claim has committed (claimOcrJob is a statement of its own).
  await deps.events.publish(claimed.tenantId, {
    invoiceId: claimed.invoiceId,
    kind: "job.progress",
    status: "running",
    progress: 0,
  });
  return {
    job: {
      id: claimed.jobId,
      invoiceId: claimed.invoiceId,
      documentId: claimed.documentId,
      attempt: claimed.attempt,
      contentType: document.contentType as
        | "application/pdf"
        | "image/png"
        | "image/jpeg"
        | "application/xml",
      byteSize: document.byteSize,
    },
    token,
    tokenExpiresAt: expiresAt,
    documentUrl,
    leaseSeconds: deps.queue.leaseSeconds,
  };
}

export const jobRouter = router({
  /**
   * The next job, leased to this worker, with its token and document link; null if none. With
   * waitSeconds, an idle worker's call is held until a job is queued (JobSignal, from any API
   * process) or the wait (at most queue.maxClaimWaitSeconds) runs out: no polling, no delay.
   */
  claim: workerProcedure
    .input(
      z.object({
        workerId: z.string().trim().min(1).max(100),
        waitSeconds: z.number().min(0).max(60).optional(),
      }),
    )
    .mutation(async ({ ctx, input, signal }) => {
      const { jobSignal, queue, metrics } = ctx.deps;
      const waitMs = Math.min(input.waitSeconds ?? 0, queue.maxClaimWaitSeconds) * 1000;
      const until = performance.now() + waitMs;
      for (;;) {
        // Listening before looking: a job queued between the look and the wait still wakes it.
        const waiter = waitMs > 0 ? await jobSignal.arm() : null;
        let claimed: Awaited<ReturnType<typeof claimNext>>;
        try {
          claimed = await claimNext(ctx, input.workerId);
        } catch (error) {
          waiter?.cancel();
          throw error;
        }
        const remaining = until - performance.now();
        if (claimed || !waiter || remaining <= 0 || signal?.aborted) {
          waiter?.cancel();
          return claimed;
        }
        metrics.claimWaiting(1);
        const { reason } = await waiter.wait(remaining, signal);
        metrics.claimWaiting(-1, reason);
        if (reason === "aborted") return null;
      }
    }),

  /** Extends the lease and reports progress; returns a fresh token. CONFLICT if the lease was lost. */
  heartbeat: jobProcedure
    .input(z.object({ progress: z.number().int().min(0).max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      const fence = { jobId: ctx.job.jobId, attempt: ctx.job.attempt };
      const leaseExpiresAt = await heartbeatOcrJob(ctx.db, fence, {
        leaseSeconds: ctx.deps.queue.leaseSeconds,
        progress: input.progress,
      });
      if (!leaseExpiresAt) throw lost();
      if (input.progress !== undefined) {
        const { tenantId, invoiceId } = ctx.job;
        const progress = input.progress;
        ctx.afterCommit.push(async () =>
          ctx.deps.events.publish(tenantId, {
            invoiceId,
            kind: "job.progress",
            status: "running",
            progress,
          }),
        );
      }
      const { token, expiresAt } = await tokenFor(ctx, ctx.job);
      return { leaseExpiresAt, token, tokenExpiresAt: expiresAt };
    }),

  /**
   * Stores the extraction and fills the draft. Idempotent: a replay, or a late result from an
   * attempt that lost its lease, changes nothing and says so (applied: false).
   */
  complete: jobProcedure
    .input(z.object({ extraction: extractionInput }))
    .mutation(async ({ ctx, input }) => {
      const { job } = ctx;
      const held = await completeOcrJob(
        ctx.db,
        { jobId: job.jobId, attempt: job.attempt },
        {
          pages: input.extraction.pages.length,
          totalMs: input.extraction.timings.totalMs,
          workerId: job.workerId,
        },
      );
      if (!held) return { applied: false as const };
      const queuedAt = await jobQueuedAt(ctx.db, job.jobId);
      const applied = await applyExtraction(ctx.db, { ...job }, input.extraction);
      await recordAudit(
        { ...ctx, caller: { kind: "token" }, requestId: ctx.requestId, ip: ctx.ip },
        {
          action: "invoice.extracted",
          entityType: "invoice",
          entityId: job.invoiceId,
          summary: {
            jobId: job.jobId,
            attempt: job.attempt,
            worker: job.workerId,
            applied: applied?.applied ?? [],
            // An invoice past draft keeps the reading as a proposal (a locked one only here).
            proposal: applied?.proposal ?? null,
            supplier: applied?.supplier.kind ?? "none",
            possibleDuplicateOf: applied?.possibleDuplicateOf ?? null,
            remembered: applied?.remembered ?? [],
          },
        },
      );
      ctx.afterCommit.push(async () => {
        if (queuedAt) ctx.deps.metrics.jobCompleted((Date.now() - queuedAt.getTime()) / 1000);
        ctx.deps.events.publish(job.tenantId, {
          invoiceId: job.invoiceId,
          kind: "job.succeeded",
          status: "succeeded",
          progress: 100,
        });
      });
      return {
        applied: true as const,
        fields: applied?.applied ?? [],
        lineItems: applied?.lineItems ?? 0,
        supplier: applied?.supplier.kind ?? "none",
        possibleDuplicateOf: applied?.possibleDuplicateOf ?? null,
      };
    }),

  /**
   * Records a failed attempt: retried after a backoff, dead-lettered when attempts run out, or
   * failed at once when the document cannot be read (retryable: false).
   */
  fail: jobProcedure
    .input(
      z.object({
        error: z.string().trim().min(1).max(2000),
        retryable: z.boolean(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { job } = ctx;
      const status = await failOcrJob(
        ctx.db,
        { jobId: job.jobId, attempt: job.attempt },
        {
          error: input.error,
          retryable: input.retryable,
          backoff: ctx.deps.queue.backoff,
        },
      );
      if (!status) throw lost();
      if (status !== "queued") {
        await recordAudit(
          { ...ctx, caller: { kind: "token" }, requestId: ctx.requestId, ip: ctx.ip },
          {
            action: status === "dead" ? "ocr.dead_lettered" : "ocr.failed",
            entityType: "invoice",
            entityId: job.invoiceId,
            summary: { jobId: job.jobId, attempt: job.attempt, error: input.error.slice(0, 300) },
          },
        );
      }
      ctx.afterCommit.push(async () => {
        ctx.deps.metrics.jobFailed(status);
        // Ids and states only: the browser reads the reason from the invoice (ocr.lastError).
        ctx.deps.events.publish(job.tenantId, {
          invoiceId: job.invoiceId,
          kind: "job.failed",
          status,
        });
      });
      return { status };
    }),

  /** Gives the job back untouched, for another worker to take now (this one is stopping). */
  release: jobProcedure.mutation(async ({ ctx }) => {
    const { job } = ctx;
    const released = await releaseOcrJob(
      ctx.db,
      { jobId: job.jobId, attempt: job.attempt },
      `released by worker ${job.workerId}, which was shutting down`,
    );
    if (!released) throw lost();
    ctx.afterCommit.push(async () => {
      await ctx.deps.events.publish(job.tenantId, {
        invoiceId: job.invoiceId,
        kind: "job.progress",
        status: "queued",
        progress: 0,
      });
      // Claimable again now: a waiting worker takes it instead of polling for it.
      await ctx.deps.jobSignal.announce();
    });
    return { status: "queued" as const };
  }),
});
