import { lt, sql } from "drizzle-orm";
import { queryRows } from "./rows";
import { rateLimits } from "./schema";
import type { Database } from "./types";

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  hits: number;
  /** Seconds until the window ends and the count starts again. */
  resetsInSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window of `windowSeconds`, in one statement: two API
 * processes counting the same key at once both land (the primary key serialises them), and a
 * window that has ended starts again at 1. The clock is the database's, shared by every process.
 */
export async function hitRateLimit(
  db: Database,
  key: string,
  windowSeconds: number,
): Promise<RateLimitHit> {
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const [row] = await queryRows<{ hits: number; resets: number | string }>(
    db,
    sql`
      insert into rate_limits as r (key, window_start, hits) values (${key}, now(), 1)
      on conflict (key) do update set
        hits = case when r.window_start <= now() - ${window} then 1 else r.hits + 1 end,
        window_start = case when r.window_start <= now() - ${window} then now() else r.window_start end
      returning r.hits,
        ceil(extract(epoch from (r.window_start + ${window} - now())))::int as resets`,
  );
  return { hits: Number(row?.hits ?? 1), resetsInSeconds: Math.max(1, Number(row?.resets ?? 1)) };
}

/** Removes counters whose window ended more than `olderThanSeconds` ago; returns how many. */
export async function pruneRateLimits(db: Database, olderThanSeconds: number): Promise<number> {
  const removed = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - make_interval(secs => ${olderThanSeconds})`))
    .returning({ key: rateLimits.key });
  return removed.length;
}
