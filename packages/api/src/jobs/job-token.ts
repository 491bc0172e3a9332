import { createHmac } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/*
 * A job token lets a worker act on exactly one attempt of one job: its tenant, invoice and
 * document are inside the signed claims, never taken from the worker's input. It is an HS256
 * JWT with its own `typ`, audience and key (derived from the server secret), so it can never be
 * mistaken for a user's token, nor a user's token for it.
 */

export const jobTokenType = "remit-job+jwt";
const audience = "remit-worker";

export interface JobClaims {
  jobId: string;
  tenantId: string;
  invoiceId: string;
  documentId: string;
  attempt: number;
  workerId: string;
}

const claimsSchema = z.object({
  sub: z.uuid(),
  tid: z.uuid(),
  iid: z.uuid(),
  did: z.uuid(),
  att: z.number().int().min(1),
  wid: z.string().min(1).max(100),
});

export function jobTokenKey(serverSecret: string): Uint8Array {
  return new Uint8Array(createHmac("sha256", serverSecret).update("remit job tokens v1").digest());
}

export async function issueJobToken(
  key: Uint8Array,
  issuer: string,
  claims: JobClaims,
  expiresInSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + expiresInSeconds * 1000);
  const token = await new SignJWT({
    tid: claims.tenantId,
    iid: claims.invoiceId,
    did: claims.documentId,
    att: claims.attempt,
    wid: claims.workerId,
  })
    .setProtectedHeader({ alg: "HS256", typ: jobTokenType })
    .setSubject(claims.jobId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return { token, expiresAt };
}

/** True if the bearer claims to be a job token (it may still be forged or expired). */
export function looksLikeJobToken(bearer: string): boolean {
  // Most bearers are session tokens, not JWTs: decoding one would throw, and building jose's
  // error (with its stack) on every such request cost about 2 % of the server's CPU. jose
  // itself refuses anything but 3 (JWS) or 5 (JWE) parts, so this answers the same, sooner.
  const parts = bearer.split(".", 6).length;
  if (parts !== 3 && parts !== 5) return false;
  try {
    return decodeProtectedHeader(bearer).typ === jobTokenType;
  } catch {
    return false;
  }
}

/** The token's claims if its signature, type, issuer, audience and expiry all hold; else null. */
export async function verifyJobToken(
  key: Uint8Array,
  issuer: string,
  token: string,
): Promise<JobClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      typ: jobTokenType,
      issuer,
      audience,
    });
    const claims = claimsSchema.parse(payload);
    return {
      jobId: claims.sub,
      tenantId: claims.tid,
      invoiceId: claims.iid,
      documentId: claims.did,
      attempt: claims.att,
      workerId: claims.wid,
    };
  } catch {
    return null;
  }
}

/**
 * Why a job token did not verify, for the isolation monitor: an expired token is a slow worker,
 * not an attack (jose checks the signature before the expiry, so "expired" means it was ours);
 * anything else was forged or tampered with. Also the tenant it claims, unverified.
 */
export async function jobTokenFailure(
  key: Uint8Array,
  issuer: string,
  token: string,
): Promise<{ reason: "expired" | "forged"; claimedTenantId: string | null }> {
  let claimedTenantId: string | null = null;
  try {
    const tid = decodeJwt(token).tid;
    claimedTenantId = typeof tid === "string" ? tid.slice(0, 100) : null;
  } catch {
    // not even decodable: forged
  }
  try {
    await jwtVerify(token, key, { algorithms: ["HS256"], typ: jobTokenType, issuer, audience });
    return { reason: "forged", claimedTenantId };
  } catch (error) {
    const expired = error instanceof errors.JWTExpired;
    return { reason: expired ? "expired" : "forged", claimedTenantId };
  }
}
