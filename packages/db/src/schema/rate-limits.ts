import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Rate-limit counters shared by every API process (sign-in and sign-up attempts, by address and
 * by account). A platform table: the server's own connection counts here; remit_app is granted
 * nothing. Keys never hold an e-mail address in clear (packages/api auth-limits.ts hashes it).
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    hits: integer("hits").notNull(),
  },
  (t) => [index("rate_limits_window_start_idx").on(t.windowStart)],
);
