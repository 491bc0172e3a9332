import { bearerOf } from "../request/bearer";
import type { JobClaims } from "./job-token";
import { looksLikeJobToken, verifyJobToken } from "./job-token";
import { credentialDigest, credentialMatches } from "./worker-credential";

/**
 * A machine caller: the worker with its credential, one job attempt with its token, or a
 * platform operator with the operator credential.
 */
export type ServiceCaller =
  | { kind: "worker" }
  | { kind: "job"; job: JobClaims }
  | { kind: "operator" };

export interface ServiceAuth {
  workerSecret: string | undefined;
  /** REMIT_OPERATOR_SECRET: opens the operator router (reading violations) and nothing else. */
  operatorSecret?: string | undefined;
  jobTokenKey: Uint8Array;
  issuer: string;
}

/**
 * Recognises machine credentials before any user lookup. Returns "invalid" for a bearer that
 * claims to be a job token but does not verify, so it is refused outright instead of being
 * tried as a user's token.
 */
export async function identifyService(
  auth: ServiceAuth,
  headers: Headers,
): Promise<ServiceCaller | "invalid" | null> {
  const bearer = bearerOf(headers);
  if (!bearer) return null;
  if (looksLikeJobToken(bearer)) {
    const job = await verifyJobToken(auth.jobTokenKey, auth.issuer, bearer);
    return job ? { kind: "job", job } : "invalid";
  }
  const presented = credentialDigest(bearer);
  if (credentialMatches(auth.workerSecret, presented)) return { kind: "worker" };
  // The same digest comparison as the worker's: neither length nor content leaks through timing.
  if (credentialMatches(auth.operatorSecret, presented)) return { kind: "operator" };
  return null;
}
