import type { SeededTenant } from "./seed";
import { call, type Outcome } from "./trpc-http";

/*
 * A small loopback load generator: `connections` loops, each sending one request at a time,
 * mixed reads and writes from every tenant, each with the bearer token of a member of that
 * tenant. Every answer is checked against what is known of who owns what; ids not known yet
 * (another loop's create still in flight) are kept and checked against the database at the end.
 */

export type Op =
  | "invoice.list"
  | "invoice.get"
  | "supplier.list"
  | "invoice.create"
  | "invoice.update"
  | "comment.add";

const mix: Array<[Op, number]> = [
  ["invoice.list", 25],
  ["invoice.get", 25],
  ["supplier.list", 10],
  ["invoice.create", 15],
  ["invoice.update", 15],
  ["comment.add", 10],
];

export interface Sample {
  op: Op;
  /** Milliseconds since the run started. */
  start: number;
  end: number;
  ok: boolean;
  status: number;
  /** "ok", "http 503", "network", "timeout", … */
  kind: string;
  message: string;
}

export interface Ownership {
  invoices: Map<string, number>;
  suppliers: Map<string, number>;
}

export class LoadRun {
  readonly samples: Sample[] = [];
  readonly isolationErrors: string[] = [];
  /** Ids a tenant was shown that nobody knew yet: checked against the database afterwards. */
  readonly unverified: Array<{ tenant: number; table: "invoices" | "suppliers"; id: string }> = [];
  /** What successful writes returned: each must still be in the database afterwards. */
  readonly committedInvoices: Array<{ tenant: number; id: string }> = [];
  readonly committedComments: Array<{ tenant: number; id: string }> = [];
  private readonly owners: Ownership = { invoices: new Map(), suppliers: new Map() };
  private stopped = false;
  private loops: Promise<void>[] = [];
  readonly t0 = performance.now();

  constructor(
    private readonly url: string,
    readonly tenants: SeededTenant[],
    private readonly timeoutMs: number,
  ) {
    for (const [i, t] of tenants.entries()) {
      for (const id of t.invoiceIds) this.owners.invoices.set(id, i);
      for (const id of t.supplierIds) this.owners.suppliers.set(id, i);
    }
  }

  now(): number {
    return performance.now() - this.t0;
  }

  start(connections: number): void {
    this.loops = Array.from({ length: connections }, (_, i) => this.loop(i));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async loop(index: number): Promise<void> {
    let n = index;
    while (!this.stopped) {
      const tenantIndex = n++ % this.tenants.length;
      await this.once(tenantIndex);
    }
  }

  private pickOp(): Op {
    let roll = Math.random() * 100;
    for (const [op, weight] of mix) {
      roll -= weight;
      if (roll < 0) return op;
    }
    return "invoice.list";
  }

  private async once(tenantIndex: number): Promise<void> {
    const tenant = this.tenants[tenantIndex] as SeededTenant;
    const member = tenant.members[Math.floor(Math.random() * tenant.members.length)];
    if (!member) return;
    const op = this.pickOp();
    const invoiceId = tenant.invoiceIds[Math.floor(Math.random() * tenant.invoiceIds.length)];
    const money = (Math.random() * 1000).toFixed(2);
    const [type, input]: ["query" | "mutation", unknown] =
      op === "invoice.list"
        ? ["query", { limit: 50 }]
        : op === "invoice.get"
          ? ["query", { id: invoiceId }]
          : op === "supplier.list"
            ? ["query", { limit: 100 }]
            : op === "invoice.create"
              ? [
                  "mutation",
                  {
                    invoiceNumber: `${tenant.label.toUpperCase()}-L-${crypto.randomUUID().slice(0, 8)}`,
                    supplierId: tenant.supplierIds[0] ?? null,
                    currency: "EUR",
                    total: money,
                    lineItems: [{ description: "load", amount: money }],
                  },
                ]
              : op === "invoice.update"
                ? ["mutation", { id: invoiceId, data: { total: money } }]
                : ["mutation", { invoiceId, body: `load comment ${money}` }];
    const start = this.now();
    const outcome = await call(this.url, member.token, op, type, input, this.timeoutMs);
    const end = this.now();
    this.samples.push({
      op,
      start,
      end,
      ok: outcome.ok,
      status: outcome.status,
      kind: outcome.ok ? "ok" : outcome.kind,
      message: outcome.ok
        ? ""
        : outcome.kind === "timeout"
          ? `${outcome.message} (${op})`
          : outcome.message,
    });
    if (outcome.ok) this.inspect(tenantIndex, op, input, outcome);
    // An API that cannot be reached is a failure already counted; do not spin on it.
    else if (outcome.kind === "network") await new Promise((resolve) => setTimeout(resolve, 200));
  }

  /** Every answer must carry the caller's tenant's data only. */
  private inspect(tenant: number, op: Op, input: unknown, outcome: Extract<Outcome, { ok: true }>) {
    const me = this.tenants[tenant] as SeededTenant;
    const leak = (what: string) => this.isolationErrors.push(`${me.label} ${op}: ${what}`);
    const checkInvoice = (id: string) => {
      const owner = this.owners.invoices.get(id);
      if (owner === undefined) this.unverified.push({ tenant, table: "invoices", id });
      else if (owner !== tenant) leak(`invoice ${id} of ${this.tenants[owner]?.label}`);
    };
    const checkTenantId = (row: { tenantId?: unknown } | null | undefined, what: string) => {
      if (row && row.tenantId !== me.id) leak(`${what} with tenant ${String(row.tenantId)}`);
    };
    const data = outcome.data as Record<string, unknown> & { tenantId?: unknown; id?: string };
    switch (op) {
      case "invoice.list":
        for (const item of (data.items as Array<{ id: string }>) ?? []) checkInvoice(item.id);
        break;
      case "invoice.get": {
        checkTenantId(data, "invoice");
        if (data.id !== (input as { id: string }).id) leak(`asked for one invoice, got ${data.id}`);
        for (const line of (data.lineItems as Array<{ tenantId: unknown }>) ?? [])
          checkTenantId(line, "line item");
        for (const comment of (data.comments as Array<{ tenantId: unknown }>) ?? [])
          checkTenantId(comment, "comment");
        break;
      }
      case "supplier.list":
        for (const s of (outcome.data as Array<{ id: string; isGlobal: boolean }>) ?? []) {
          if (s.isGlobal) continue;
          const owner = this.owners.suppliers.get(s.id);
          if (owner === undefined) this.unverified.push({ tenant, table: "suppliers", id: s.id });
          else if (owner !== tenant) leak(`supplier ${s.id} of ${this.tenants[owner]?.label}`);
        }
        break;
      case "invoice.create":
        checkTenantId(data, "created invoice");
        if (data.id) {
          this.owners.invoices.set(data.id, tenant);
          me.invoiceIds.push(data.id);
          this.committedInvoices.push({ tenant, id: data.id });
        }
        break;
      case "invoice.update":
        checkTenantId(data, "updated invoice");
        break;
      case "comment.add":
        checkTenantId(data, "comment");
        if (data.id) this.committedComments.push({ tenant, id: data.id });
        break;
    }
  }
}
