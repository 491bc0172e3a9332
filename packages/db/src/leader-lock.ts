import { createHash } from "node:crypto";
import postgres from "postgres";

/**
 * A lock that one process at a time holds, for work that must run once per cluster, not once
 * per process (the periodic runner, packages/api/src/periodic). It is a PostgreSQL session-level
 * advisory lock on a connection of its own: when the holder dies, its connection ends and the
 * server releases the lock at once, so another process takes over at its next `hold()`.
 */
export interface LeaderLock {
  /** Takes the lock if it is free, or confirms this process still has it; false if another does. */
  hold(): Promise<boolean>;
  /** Gives the lock up and closes its connection (shutdown). */
  release(): Promise<void>;
}

/** The first half of every Remit advisory lock key ("REMI"), so other software's keys differ. */
const keySpace = 0x52454d49;

/** The second half: 31 bits of the name's SHA-256, so both halves are positive int4 and oid. */
export function leaderLockKey(name: string): number {
  return createHash("sha256").update(name).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * The embedded database is one process by construction (PGlite's data folder is opened by one
 * process only), so that process is always the leader.
 */
export function pgliteLeaderLock(): LeaderLock {
  return { hold: async () => true, release: async () => {} };
}

export function postgresLeaderLock(
  url: string,
  name: string,
  options: { connectTimeoutSeconds: number },
): LeaderLock {
  const key = leaderLockKey(name);
  let client: postgres.Sql | null = null;
  const connection = () => {
    client ??= postgres(url, {
      max: 1,
      // The lock lives as long as the session: never recycle the connection on purpose.
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: options.connectTimeoutSeconds,
      keep_alive: 15,
      fetch_types: false,
      onnotice: () => {},
      connection: {
        // Who holds it, for an operator: pg_locks joined with pg_stat_activity shows this name.
        application_name: `remit-leader ${process.pid}`,
        // The server, too, must notice a holder that vanished without closing its connection
        // (a host that lost power) within a minute, not after the system's two-hour default.
        tcp_keepalives_idle: 15,
        tcp_keepalives_interval: 5,
        tcp_keepalives_count: 3,
      },
    });
    return client;
  };
  return {
    async hold() {
      // The lock is re-taken only if this session does not hold it already: advisory locks
      // count, and a second take would need a second unlock. After a reconnect the session is
      // new, the lock is not in it, and it is taken again if nobody else took it meanwhile.
      const ask = async () => {
        const sql = connection();
        const [row] = await sql<{ held: boolean }[]>`
          select case
            when exists (
              select 1 from pg_locks
              where locktype = 'advisory' and pid = pg_backend_pid() and granted
                and classid = ${String(keySpace)}::oid and objid = ${String(key)}::oid
                and objsubid = 2)
            then true
            else pg_try_advisory_lock(${keySpace}::int4, ${key}::int4)
          end as held`;
        return row?.held === true;
      };
      // A session that ended while idle is only found out by the next query, which fails; a
      // later one runs on a new connection. Two retries, so the answer is about now.
      for (let attempt = 1; ; attempt++) {
        try {
          return await ask();
        } catch (error) {
          if (attempt === 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    },
    async release() {
      const sql = client;
      client = null;
      if (!sql) return;
      await sql`select pg_advisory_unlock(${keySpace}::int4, ${key}::int4)`.catch(() => {});
      await sql.end({ timeout: 1 });
    },
  };
}
