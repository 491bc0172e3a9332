import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The worker's own credential: a shared secret configured on both sides. It only allows
 * claiming jobs; everything else a worker does needs the job token the claim returns.
 * Compared as digests so that neither length nor content leaks through timing.
 */
export function workerCredentialMatches(expected: string | undefined, presented: string): boolean {
  if (!expected) return false;
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(presented).digest();
  return timingSafeEqual(a, b);
}

/**
 * The user id the worker acts as inside withTenant (audit rows, signed links). A fixed id that
 * belongs to no person, so nothing it writes can pass for a member's work.
 */
export const workerActorId = "00000000-0000-4000-8000-00000000f00d";
