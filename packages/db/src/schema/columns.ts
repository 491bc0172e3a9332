import { sql } from "drizzle-orm";
import { numeric, timestamp, uuid } from "drizzle-orm/pg-core";

/** Every tenant-owned row leads with these two columns; (tenant_id, id) is its key. */
export const tenantKey = {
  tenantId: uuid("tenant_id").notNull(),
  id: uuid("id").notNull().default(sql`gen_random_uuid()`),
};

export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/**
 * Money: numeric(18,2), read and written as decimal strings ("1234.50") end to end so that
 * no amount ever passes through a float.
 */
export const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

/** Quantities and unit prices may carry more precision than the currency's minor unit. */
export const decimal4 = (name: string) => numeric(name, { precision: 18, scale: 4 });
