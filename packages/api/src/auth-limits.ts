import { createHash } from "node:crypto";
import { type Database, hitRateLimit } from "@remit/db";

/*
 * Sign-in and sign-up attempts are limited per client address and per account, in the database,
 * so that every API process counts against the same budget. Every attempt counts, answered well
 * or not: counting only failures would tell a guesser which password was right by what happens
 * to the count. Account keys are hashes of the address as typed (trimmed, lower case), so that
 * the table holds no e-mail addresses, registered or not, and treats both alike.
 */

export interface AuthLimitSettings {
  /** Attempts per client address per window. */
  perAddress: number;
  /** Attempts naming one account (e-mail address) per window. */
  perAccount: number;
  windowSeconds: number;
}

export const defaultAuthLimits: AuthLimitSettings = {
  perAddress: 30,
  perAccount: 10,
  windowSeconds: 600,
};

export type AuthLimitOutcome =
  | { limited: false }
  | { limited: true; retryAfterSeconds: number; message: string };

export async function countAuthAttempt(
  db: Database,
  settings: AuthLimitSettings,
  attempt: { ip: string | null; email: string | null },
): Promise<AuthLimitOutcome> {
  const budgets: Array<{ key: string; limit: number }> = [
    { key: `auth:address:${attempt.ip ?? "unknown"}`, limit: settings.perAddress },
  ];
  const email = attempt.email?.trim().toLowerCase();
  if (email) {
    const hashed = createHash("sha256").update(email).digest("base64url");
    budgets.push({ key: `auth:account:${hashed}`, limit: settings.perAccount });
  }
  let retryAfterSeconds = 0;
  for (const { key, limit } of budgets) {
    const hit = await hitRateLimit(db, key, settings.windowSeconds);
    if (hit.hits > limit) retryAfterSeconds = Math.max(retryAfterSeconds, hit.resetsInSeconds);
  }
  if (retryAfterSeconds === 0) return { limited: false };
  return {
    limited: true,
    retryAfterSeconds,
    message: `too many sign-in attempts; try again in ${retryAfterSeconds} seconds`,
  };
}
