import type { Backoff } from "@remit/db";

/** How the OCR queue treats its workers. Defaults suit one worker on one machine. */
export interface QueueSettings {
  /** How long a claim (and each heartbeat) holds a job before another worker may take it. */
  leaseSeconds: number;
  /** Lifetime of a job token and of the document link handed out with it; heartbeats renew. */
  jobTokenSeconds: number;
  /** Delay before retry n: half to all of base * 2^(n-1), capped at max. */
  backoff: Backoff;
  /** The largest page preview a worker may store. */
  maxPreviewBytes: number;
  /**
   * The longest a job.claim waits for a job to be queued before answering null. Keep it well
   * under the request deadline: a claim answered after the deadline would lease a job to nobody.
   */
  maxClaimWaitSeconds: number;
}

export const defaultQueueSettings: QueueSettings = {
  leaseSeconds: 60,
  jobTokenSeconds: 600,
  backoff: { baseSeconds: 30, maxSeconds: 30 * 60 },
  maxPreviewBytes: 8 * 1024 * 1024,
  maxClaimWaitSeconds: 4,
};
