import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The worker's own credential: a shared secret configured on both sides. It only allows
 * claiming jobs; everything else a worker does needs the job token the claim returns.
 * Compared as digests so that neither length nor content leaks through timing.
 */

/** A credential as it is compared: its SHA-256 digest. */
export function credentialDigest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

// The configured secrets' digests, computed once: every call that presents a bearer is compared
// with them (a person's session token too), so hashing them per call was work on every request.
// Only configured secrets are keys (the worker's and the operator's); the bound is for tests,
// which configure many.
const expectedDigests = new Map<string, Buffer>();
const maxExpected = 16;

function expectedDigest(secret: string): Buffer {
  let digest = expectedDigests.get(secret);
  if (!digest) {
    if (expectedDigests.size >= maxExpected) expectedDigests.clear();
    digest = credentialDigest(secret);
    expectedDigests.set(secret, digest);
  }
  return digest;
}

/** Whether a presented credential (its digest, credentialDigest) is the configured secret. */
export function credentialMatches(expected: string | undefined, presented: Buffer): boolean {
  if (!expected) return false;
  return timingSafeEqual(expectedDigest(expected), presented);
}

/**
 * The user id the worker acts as inside withTenant (audit rows, signed links). A fixed id that
 * belongs to no person, so nothing it writes can pass for a member's work.
 */
export const workerActorId = "00000000-0000-4000-8000-00000000f00d";
