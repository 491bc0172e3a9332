import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "./rows";
import { ocrJobs } from "./schema/ocr-jobs";
import type { Database, TenantDb } from "./types";
import { asAppRole } from "./with-tenant";

/*
 * The OCR queue's state machine, in one place. Claiming happens before any tenant is known and
 * goes through the allowlisted claim_ocr_job() (drizzle/0004) as remit_app; everything after
 * the claim runs inside withTenant for the job's tenant, under RLS like any other request.
 *
 * Every write after the claim is fenced by the attempt number the claim returned: a claim of
 * the same job by another worker increments `attempts`, so a stale worker's heartbeat, result
 * or failure matches no row and changes nothing.
 */

export interface ClaimedJob {
  tenantId: string;
  jobId: string;
  invoiceId: string;
  documentId: string;
  attempt: number;
}

/** Which attempt of which job a write belongs to. */
export interface JobFence {
  jobId: string;
  attempt: number;
}

export interface Backoff {
  baseSeconds: number;
  maxSeconds: number;
}

/** The next claimable job, leased to workerId for leaseSeconds, or null if there is none. */
export async function claimOcrJob(
  db: Database,
  input: { workerId: string; leaseSeconds: number },
): Promise<ClaimedJob | null> {
  const rows = await asAppRole(db, async (tx) => {
    return queryRows<{
      tenant_id: string;
      job_id: string;
      invoice_id: string;
      document_id: string;
      attempt: number;
    }>(tx, sql`select * from public.claim_ocr_job(${input.workerId}, ${input.leaseSeconds}::int)`);
  });
  const row = rows[0];
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    jobId: row.job_id,
    invoiceId: row.invoice_id,
    documentId: row.document_id,
    attempt: Number(row.attempt),
  };
}

/** Counts of queued, running and dead jobs across tenants (numbers only), for metrics. */
export async function ocrQueueDepth(
  db: Database,
): Promise<{ queued: number; running: number; dead: number }> {
  const [row] = await asAppRole(db, async (tx) => {
    return queryRows<{ queued: string; running: string; dead: string }>(
      tx,
      sql`select * from public.ocr_queue_depth()`,
    );
  });
  return {
    queued: Number(row?.queued ?? 0),
    running: Number(row?.running ?? 0),
    dead: Number(row?.dead ?? 0),
  };
}

const holding = (fence: JobFence) =>
  and(
    eq(ocrJobs.id, fence.jobId),
    eq(ocrJobs.attempts, fence.attempt),
    eq(ocrJobs.status, "running"),
  );

/** Extends the lease (and records progress); null if this attempt no longer holds the job. */
export async function heartbeatOcrJob(
  tx: TenantDb,
  fence: JobFence,
  input: { leaseSeconds: number; progress?: number },
): Promise<Date | null> {
  const [row] = await tx
    .update(ocrJobs)
    .set({
      leaseExpiresAt: sql`now() + make_interval(secs => ${input.leaseSeconds}::int)`,
      ...(input.progress === undefined ? {} : { progress: input.progress }),
      updatedAt: sql`now()`,
    })
    .where(holding(fence))
    .returning({ leaseExpiresAt: ocrJobs.leaseExpiresAt });
  return row?.leaseExpiresAt ?? null;
}

/** Marks the attempt succeeded with its result; false if it no longer holds the job. */
export async function completeOcrJob(
  tx: TenantDb,
  fence: JobFence,
  result: Record<string, unknown>,
): Promise<boolean> {
  const rows = await tx
    .update(ocrJobs)
    .set({
      status: "succeeded",
      progress: 100,
      result,
      lastError: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      completedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(holding(fence))
    .returning({ id: ocrJobs.id });
  return rows.length === 1;
}

export type FailedJobStatus = "queued" | "failed" | "dead";

/**
 * Records a failed attempt. A retryable failure goes back to the queue after an exponential
 * backoff with jitter, or is dead-lettered once its attempts are used up; a permanent one (the
 * document cannot be read at all) fails at once. Null if the attempt no longer holds the job.
 */
export async function failOcrJob(
  tx: TenantDb,
  fence: JobFence,
  input: { error: string; retryable: boolean; backoff: Backoff },
): Promise<FailedJobStatus | null> {
  const { baseSeconds, maxSeconds } = input.backoff;
  const next = sql<FailedJobStatus>`case
    when not ${input.retryable} then 'failed'::ocr_job_status
    when ${ocrJobs.attempts} >= ${ocrJobs.maxAttempts} then 'dead'::ocr_job_status
    else 'queued'::ocr_job_status end`;
  const [row] = await tx
    .update(ocrJobs)
    .set({
      status: next,
      lastError: input.error.slice(0, 2000),
      leaseOwner: null,
      leaseExpiresAt: null,
      // Half to all of base * 2^(attempt - 1), capped: retries of many jobs spread out.
      runAfter: sql`now() + make_interval(secs => least(${baseSeconds}::float8 * power(2, ${ocrJobs.attempts} - 1), ${maxSeconds}::float8) * (0.5 + random() / 2))`,
      completedAt: sql`case when ${next} = 'queued' then null else now() end`,
      updatedAt: sql`now()`,
    })
    .where(holding(fence))
    .returning({ status: ocrJobs.status });
  return (row?.status as FailedJobStatus | undefined) ?? null;
}

/**
 * Hands the job back at once, without a backoff: its worker is shutting down and could not
 * finish. The attempt stays counted (attempt numbers are never reused, or a stale token could
 * match again). False if the attempt no longer holds the job.
 */
export async function releaseOcrJob(
  tx: TenantDb,
  fence: JobFence,
  reason: string,
): Promise<boolean> {
  const rows = await tx
    .update(ocrJobs)
    .set({
      status: "queued",
      runAfter: sql`now()`,
      lastError: reason.slice(0, 2000),
      leaseOwner: null,
      leaseExpiresAt: null,
      progress: 0,
      updatedAt: sql`now()`,
    })
    .where(holding(fence))
    .returning({ id: ocrJobs.id });
  return rows.length === 1;
}
