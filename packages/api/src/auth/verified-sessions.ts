import { type Database, type MemberRole, members, queryRows, sessions, tenants } from "@remit/db";
import { sql } from "drizzle-orm";

/*
 * better-auth's getSession costs about 3.6 ms of CPU and two statements per call (cookie and
 * signature handling, then the session and the user). Remit asks it on every request. This
 * remembers, for a short while and for a bounded number of credentials, which session a
 * credential was verified to be, so that a repeated credential costs one small statement:
 *
 *   - the entry is keyed by the credential exactly as presented (Authorization and Cookie
 *     headers); a different header is a miss, and better-auth verifies it afresh;
 *   - every hit still reads the session row (still there, not expired, its active tenant now),
 *     so a signed-out or revoked session stops working on the very next call, in every API
 *     process, and tenant.switch is seen at once. Membership is then checked on every call by
 *     resolveTenant, as before;
 *   - after `freshForMs` the entry is dropped and better-auth verifies the credential again
 *     (which is also when it extends a session that is in use).
 */

export interface VerifiedSession {
  userId: string;
  sessionId: string;
}

export interface VerifiedSessionSettings {
  /** How long a verification is reused (default 30 s). */
  freshForMs: number;
  /** At most this many credentials are remembered; the oldest go first (default 10,000). */
  maxEntries: number;
}

export const defaultVerifiedSessionSettings: VerifiedSessionSettings = {
  freshForMs: 30_000,
  maxEntries: 10_000,
};

/** Credentials longer than this are not remembered (no session cookie is this long). */
const maxKeyLength = 4096;

export class VerifiedSessions {
  private readonly entries = new Map<string, VerifiedSession & { until: number }>();

  constructor(
    private readonly settings: VerifiedSessionSettings = defaultVerifiedSessionSettings,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The key of a request's credential, or null when it presents none worth remembering. */
  keyOf(headers: Headers): string | null {
    const authorization = headers.get("authorization") ?? "";
    const cookie = headers.get("cookie") ?? "";
    if (!authorization && !cookie) return null;
    const key = `${authorization}\n${cookie}`;
    return key.length > maxKeyLength ? null : key;
  }

  get(key: string): VerifiedSession | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { userId: entry.userId, sessionId: entry.sessionId };
  }

  remember(key: string, session: VerifiedSession): void {
    this.entries.delete(key);
    if (this.entries.size >= this.settings.maxEntries) {
      // Map keeps insertion order: the first key is the oldest verification.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { ...session, until: this.now() + this.settings.freshForMs });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The session's active tenant membership, read in the same statement as the session. */
export interface ActiveMembership extends Record<string, unknown> {
  id: string;
  tenantId: string;
  role: MemberRole;
  status: string;
}

/**
 * The session as it is now, if it still exists, belongs to the user and has not expired: its
 * active tenant (null when none is chosen), and the user's membership of that tenant with the
 * tenant's status (null when there is none), in one statement. undefined when the session is
 * gone. The membership is as current as a separate read (same request, same moment), so
 * resolveTenant uses it instead of reading it again.
 */
export async function liveSession(
  db: Database,
  session: VerifiedSession,
): Promise<{ activeTenantId: string | null; membership: ActiveMembership | null } | undefined> {
  const [row] = await queryRows<{
    activeTenantId: string | null;
    memberId: string | null;
    role: MemberRole | null;
    status: string | null;
  }>(
    db,
    sql`select s.active_organization_id as "activeTenantId", m.id as "memberId", m.role, t.status
        from ${sessions} s
        left join ${members} m
          on m.user_id = s.user_id and m.organization_id = s.active_organization_id
        left join ${tenants} t on t.id = m.organization_id
        where s.id = ${session.sessionId} and s.user_id = ${session.userId}
          and s.expires_at > now()`,
  );
  if (!row) return undefined;
  const membership =
    row.memberId && row.role && row.status && row.activeTenantId
      ? { id: row.memberId, tenantId: row.activeTenantId, role: row.role, status: row.status }
      : null;
  return { activeTenantId: row.activeTenantId, membership };
}
