/*
 * Which tenants are small enough for the inbox page's cached plan (invoice-inbox.ts, plainPage).
 *
 * PostgreSQL plans a prepared statement either for the values at hand (a custom plan, made on
 * every call) or once for any values (a generic plan, kept per connection). A generic plan is
 * costed for an average tenant: in a database of many small tenants and one large one that
 * average is a few rows, and the plan that is cheapest for a few rows (a bitmap scan of the
 * tenant and a sort) read a 500,000-invoice tenant in full, 224 s where the custom plan walks an
 * index for 51 rows (docs/benchmarks.md). For a small tenant any plan reads at most the tenant,
 * so its page may use the cached plan and skip the planning, which cost more than running the
 * statement (0.76 ms against 0.58 ms of the server's CPU per call, bench:api).
 *
 * A tenant counts as small once an unfiltered count of its tabs (which every first page of the
 * inbox reads anyway) summed to at most `maxInvoices`; until then, and once it has grown past,
 * its pages are planned for it on every call as before. Only the choice of statement text rides
 * on this: what a page returns is the same either way.
 */

export interface SmallTenantSettings {
  /** A tenant with at most this many invoices may use the cached plan (default 10,000). */
  maxInvoices: number;
  /** At most this many tenants are remembered; the oldest note goes first (default 10,000). */
  maxEntries: number;
}

export const defaultSmallTenantSettings: SmallTenantSettings = {
  maxInvoices: 10_000,
  maxEntries: 10_000,
};

export class SmallTenants {
  /** The ids of tenants that were small at their last count, least recently noted first. */
  private readonly small = new Set<string>();

  constructor(private readonly settings: SmallTenantSettings = defaultSmallTenantSettings) {}

  /** Records a tenant's invoice count as just read (all of its tabs, no filter). */
  note(tenantId: string, invoiceCount: number): void {
    this.small.delete(tenantId);
    if (!this.admits(invoiceCount)) return;
    if (this.small.size >= this.settings.maxEntries) {
      // A Set keeps insertion order: the first is the note least recently renewed.
      const oldest = this.small.values().next().value;
      if (oldest !== undefined) this.small.delete(oldest);
    }
    this.small.add(tenantId);
  }

  /** Whether a tenant with this many invoices counts as small. */
  admits(invoiceCount: number): boolean {
    return invoiceCount <= this.settings.maxInvoices;
  }

  /** Whether the tenant was small at its last count (false when it was never counted). */
  has(tenantId: string): boolean {
    return this.small.has(tenantId);
  }

  get size(): number {
    return this.small.size;
  }
}
