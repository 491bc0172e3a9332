import { ocrJobs, type TenantDb } from "@remit/db";
import { and, eq } from "drizzle-orm";

/*
 * An OCR job's own rows, read inside its tenant's transaction. Claiming, heartbeats, completion
 * and failure are the queue's (packages/db ocr-queue.ts).
 */

/** When the job was queued (for the time-to-read metric). */
export async function jobQueuedAt(db: TenantDb, jobId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ createdAt: ocrJobs.createdAt })
    .from(ocrJobs)
    .where(eq(ocrJobs.id, jobId));
  return row?.createdAt;
}

/** Whether this attempt still holds the job: running, and not claimed again since. */
export async function attemptHoldsJob(
  db: TenantDb,
  job: { jobId: string; attempt: number },
): Promise<boolean> {
  const [held] = await db
    .select({ id: ocrJobs.id })
    .from(ocrJobs)
    .where(
      and(
        eq(ocrJobs.id, job.jobId),
        eq(ocrJobs.attempts, job.attempt),
        eq(ocrJobs.status, "running"),
      ),
    );
  return Boolean(held);
}
